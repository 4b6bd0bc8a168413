{#-
    Every raw order row, cleaned, with its disposition: 'rejected' (with the reason) or 'valid'.
    The shop writes a row per status change; stg_shop__orders keeps the latest valid version of
    each order, the older ones count as duplicates (int_data_quality__row_reconciliation).
    A view: its one reader on the build path, stg_shop__orders, reads it on a full refresh; an
    incremental run applies the same cleaning (macro clean_shop_orders) to the raw versions of
    the orders that new loads touched only (see docs/decisions.md, "Orders without a base
    table").
-#}
{{ config(materialized='view') }}

{{ clean_shop_orders(source('shop', 'shop_orders')) }}
