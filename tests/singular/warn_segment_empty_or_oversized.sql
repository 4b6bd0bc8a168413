{{ config(severity='warn') }}
{#-
    Warns about active segments that came out empty, or that hold more than
    var('segment_max_share') of their population: a rule that matches no one or nearly
    everyone is usually a broken rule. Returns the segments concerned.
-#}
select
    segment_key,
    segment_family,
    members,
    share_of_population

from {{ ref('dim_segments') }}
where
    segment_status = 'active'
    and (members = 0 or share_of_population > {{ var('segment_max_share') }})
