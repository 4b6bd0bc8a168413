{{ config(severity='warn') }}
{#-
    Warns about segments whose size moved by more than var('segment_max_size_change') (a share
    of the previous size) since the previous build recorded in fct_segment_size_snapshots.
    Returns the segments concerned with both sizes. The first build has nothing to compare.
-#}
with

snapshots as (

    select * from {{ ref('fct_segment_size_snapshots') }}

),

builds as (

    select
        build_id,
        row_number() over (order by max(built_at) desc, build_id desc) as build_rank

    from snapshots
    group by build_id

),

latest as (

    select snapshots.*
    from snapshots
    inner join builds
        on snapshots.build_id = builds.build_id
    where builds.build_rank = 1

),

previous as (

    select snapshots.*
    from snapshots
    inner join builds
        on snapshots.build_id = builds.build_id
    where builds.build_rank = 2

)

select
    latest.segment_key,
    previous.members as previous_members,
    latest.members as latest_members

from latest
inner join previous
    on latest.segment_key = previous.segment_key
where
    abs(latest.members - previous.members)
    > {{ var('segment_max_size_change') }}
    * case when previous.members > 0 then previous.members else 1 end
