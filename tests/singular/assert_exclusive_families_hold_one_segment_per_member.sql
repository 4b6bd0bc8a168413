{#-
    In every family each member (customer or account) has exactly one primary segment, and in
    an exclusive family no member holds two segments. Returns the offending members.
-#}
with

memberships as (

    select
        'customer' as entity_type,
        customer_id as member_id,
        segment_family,
        is_primary

    from {{ ref('fct_customer_segments') }}

    union all

    select
        'account' as entity_type,
        account_id as member_id,
        segment_family,
        is_primary

    from {{ ref('fct_account_segments') }}

),

families as (

    select distinct
        segment_family,
        is_family_exclusive

    from {{ ref('dim_segments') }}

),

per_member as (

    select
        memberships.entity_type,
        memberships.member_id,
        memberships.segment_family,
        families.is_family_exclusive,
        count(*) as segments,
        sum(case when memberships.is_primary then 1 else 0 end) as primary_segments

    from memberships
    inner join families
        on memberships.segment_family = families.segment_family
    group by
        memberships.entity_type,
        memberships.member_id,
        memberships.segment_family,
        families.is_family_exclusive

)

select *
from per_member
where primary_segments <> 1 or (is_family_exclusive and segments <> 1)
