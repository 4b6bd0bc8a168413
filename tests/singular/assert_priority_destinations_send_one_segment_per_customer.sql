{#-
    A destination configured with one_segment_per_customer (var activation_destinations) gets
    each customer in one segment only, the first of its listed segments the customer is in.
    Returns customers sent in several segments, or in a lower-priority segment than one of
    their memberships allows.
-#}
{%- set priority_destinations = var('activation_destinations', [])
    | selectattr('one_segment_per_customer') | list %}

with

audiences as (

    select * from {{ ref('fct_activation_audiences') }}

),

memberships as (

    select * from {{ ref('fct_customer_segments') }}

),

destination_segments as (

    {%- for destination in priority_destinations %}
    {%- set outer = loop %}
    {%- for segment_key in destination.segments %}
    select
        '{{ destination.key }}' as destination_key,
        '{{ segment_key }}' as segment_key,
        {{ loop.index }} as destination_priority
    {% if not (loop.last and outer.last) %}union all{% endif %}
    {%- endfor %}
    {%- endfor %}
    {%- if priority_destinations | length == 0 %}
    select
        cast(null as {{ dbt.type_string() }}) as destination_key,
        cast(null as {{ dbt.type_string() }}) as segment_key,
        0 as destination_priority
    where 1 = 0
    {%- endif %}

),

sent as (

    select
        audiences.destination_key,
        audiences.customer_id,
        count(*) as segments_sent,
        min(destination_segments.destination_priority) as sent_priority

    from audiences
    inner join destination_segments
        on
            audiences.destination_key = destination_segments.destination_key
            and audiences.segment_key = destination_segments.segment_key
    group by audiences.destination_key, audiences.customer_id

),

best_possible as (

    select
        destination_segments.destination_key,
        memberships.customer_id,
        min(destination_segments.destination_priority) as best_priority

    from memberships
    inner join destination_segments
        on memberships.segment_key = destination_segments.segment_key
    group by destination_segments.destination_key, memberships.customer_id

)

select
    sent.destination_key,
    sent.customer_id,
    sent.segments_sent,
    sent.sent_priority,
    best_possible.best_priority

from sent
inner join best_possible
    on
        sent.destination_key = best_possible.destination_key
        and sent.customer_id = best_possible.customer_id
where sent.segments_sent > 1 or sent.sent_priority <> best_possible.best_priority
