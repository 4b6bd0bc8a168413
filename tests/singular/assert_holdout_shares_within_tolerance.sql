{#-
    Each segment with at least var('holdout_min_members') members keeps a holdout group whose
    share of members is within var('holdout_share_tolerance') of its configured holdout_share.
    Returns the segments outside the tolerance.
-#}
select
    segment_key,
    members,
    holdout_members,
    holdout_share

from {{ ref('dim_segments') }}
where
    members >= {{ var('holdout_min_members') }}
    and abs(1.0 * holdout_members / members - holdout_share)
    > {{ var('holdout_share_tolerance') }}
