{#-
    The customer of an event and how it was matched, from the event's user_id and anonymous_id
    and its rows in int_contacts__survivors (joined on user_id) and
    int_identity__anonymous_matches (joined on anonymous_id). One definition for the
    attribution of new events and for spotting stored events whose attribution changed
    (int_events__attributed). Arguments are the aliases of the three relations.
-#}
{% macro event_customer_id(events, survivors, anonymous_matches) -%}
    case
        when {{ survivors }}.customer_id is not null then {{ survivors }}.customer_id
        when {{ events }}.user_id is null then {{ anonymous_matches }}.customer_id
    end
{%- endmacro %}

{% macro event_identity_match_method(events, survivors, anonymous_matches) -%}
    case
        when {{ survivors }}.customer_id is not null and {{ survivors }}.is_survivor
            then 'user_id'
        when {{ survivors }}.customer_id is not null then 'merged_user'
        when {{ events }}.user_id is not null then 'unknown_user'
        when {{ anonymous_matches }}.customer_id is not null then 'anonymous_stitched'
        else 'anonymous'
    end
{%- endmacro %}
