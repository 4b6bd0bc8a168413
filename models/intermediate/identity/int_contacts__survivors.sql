{#-
    One row per staged contact with the customer it belongs to. The CRM merges duplicate
    contacts into a surviving one (merged_into_contact_id), sometimes in chains (A into B, B into
    C): each contact follows the chain up to var('merge_chain_max_depth') hops to its survivor.
    A chain that ends at a contact staging does not hold (deleted, rejected) stops at the last
    contact that exists; a chain still going after the last hop (too long, or a cycle) is
    flagged and stops where it is.
-#}
{%- set max_depth = var('merge_chain_max_depth') | int -%}

with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

hop_0 as (

    select
        contact_id,
        contact_id as customer_id,
        merged_into_contact_id as next_contact_id,
        0 as merge_depth

    from contacts

),

{% for depth in range(1, max_depth + 1) %}
hop_{{ depth }} as (

    select
        hop_{{ depth - 1 }}.contact_id,
        coalesce(merge_target.contact_id, hop_{{ depth - 1 }}.customer_id) as customer_id,
        merge_target.merged_into_contact_id as next_contact_id,
        hop_{{ depth - 1 }}.merge_depth
        + case when merge_target.contact_id is null then 0 else 1 end as merge_depth

    from hop_{{ depth - 1 }}
    left join contacts as merge_target
        on hop_{{ depth - 1 }}.next_contact_id = merge_target.contact_id

),

{% endfor %}
final as (

    select
        hop_{{ max_depth }}.contact_id,
        hop_{{ max_depth }}.customer_id,
        hop_{{ max_depth }}.merge_depth,
        hop_{{ max_depth }}.contact_id = hop_{{ max_depth }}.customer_id as is_survivor,
        not_followed.contact_id is not null as is_merge_chain_unresolved

    from hop_{{ max_depth }}
    left join contacts as not_followed
        on hop_{{ max_depth }}.next_contact_id = not_followed.contact_id

)

select * from final
