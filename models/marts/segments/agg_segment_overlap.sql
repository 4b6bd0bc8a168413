{#-
    For every ordered pair of customer segments (A, B), A before B by key: customers in both,
    in A, in B, and the Jaccard index |A and B| / |A or B|. Pairs with no shared customer are
    listed with 0, so every pair of active segments is present.
-#}
with

customer_segments as (

    select * from {{ ref('fct_customer_segments') }}

),

segments as (

    select * from {{ ref('dim_segments') }}
    where entity_type = 'customer' and segment_status = 'active'

),

pairs as (

    select
        segment_a.segment_key as segment_a_key,
        segment_b.segment_key as segment_b_key,
        segment_a.members as segment_a_members,
        segment_b.members as segment_b_members

    from segments as segment_a
    inner join segments as segment_b
        on segment_a.segment_key < segment_b.segment_key

),

shared as (

    select
        membership_a.segment_key as segment_a_key,
        membership_b.segment_key as segment_b_key,
        count(*) as shared_members

    from customer_segments as membership_a
    inner join customer_segments as membership_b
        on
            membership_a.customer_id = membership_b.customer_id
            and membership_a.segment_key < membership_b.segment_key
    group by membership_a.segment_key, membership_b.segment_key

),

final as (

    select
        pairs.segment_a_key,
        pairs.segment_b_key,
        cast(pairs.segment_a_members as {{ dbt.type_bigint() }}) as segment_a_members,
        cast(pairs.segment_b_members as {{ dbt.type_bigint() }}) as segment_b_members,
        cast(coalesce(shared.shared_members, 0) as {{ dbt.type_bigint() }}) as shared_members,
        {%- set jaccard = round_divide(
            'coalesce(shared.shared_members, 0)',
            'pairs.segment_a_members + pairs.segment_b_members'
            ~ ' - coalesce(shared.shared_members, 0)',
            6
        ) %}
        cast({{ jaccard }} as {{ dbt.type_numeric() }}) as jaccard_index

    from pairs
    left join shared
        on
            pairs.segment_a_key = shared.segment_a_key
            and pairs.segment_b_key = shared.segment_b_key

)

select * from final
