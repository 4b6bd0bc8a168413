{#-
    Each segment with at least var('holdout_min_members') members keeps a holdout group whose
    share of members is within var('holdout_tolerance_standard_errors') standard errors of its
    configured holdout_share. The assignment is a hash, which behaves like a fair draw, so the
    stated tolerance is that of a binomial share: k * sqrt(p * (1 - p) / members); with the
    default k = 4 a correct assignment fails about once in 16,000 segments, while a broken one
    (everyone or no one held out, a share off by a few points on a large segment) fails.
    Returns the segments outside the tolerance.
-#}
select
    segment_key,
    members,
    holdout_members,
    holdout_share,
    1.0 * holdout_members / members as actual_share

from {{ ref('dim_segments') }}
where
    members >= {{ var('holdout_min_members') }}
    and abs(1.0 * holdout_members / members - holdout_share)
    > {{ var('holdout_tolerance_standard_errors') }}
    * sqrt(holdout_share * (1 - holdout_share) / members)
