{#-
    The raw tables of the source contract with the staging models that account for their rows:
    (source, raw table, base model with row dispositions, staging model of kept rows, key, and
    whether the base model holds several valid versions of a key, of which staging keeps one;
    `by_load`: a raw row's disposition is fixed when its load is first processed, so the
    quarantine lists each load's rejected rows once; the CRM tables are current-state tables,
    ranked again at every build, so their rejected rows are listed again at every build;
    `cleaning`: the macro a base view applies to the raw table, for readers that must filter
    the raw rows before they are cleaned).
    The data-quality models and the reconciliation test iterate over this one list.
-#}
{% macro raw_tables() -%}
    {{ return([
        {'source': 'crm', 'table': 'crm_accounts', 'base': 'base_crm__accounts',
         'staging': 'stg_crm__accounts', 'key': 'account_id'},
        {'source': 'crm', 'table': 'crm_contacts', 'base': 'base_crm__contacts',
         'staging': 'stg_crm__contacts', 'key': 'contact_id'},
        {'source': 'crm', 'table': 'crm_nps_responses', 'base': 'base_crm__nps_responses',
         'staging': 'stg_crm__nps_responses', 'key': 'response_id'},
        {'source': 'shop', 'table': 'shop_orders', 'base': 'base_shop__orders',
         'staging': 'stg_shop__orders', 'key': 'order_id', 'versioned': true,
         'by_load': true, 'cleaning': 'clean_shop_orders'},
        {'source': 'shop', 'table': 'shop_order_items', 'base': 'base_shop__order_items',
         'staging': 'stg_shop__order_items', 'key': 'order_item_id',
         'by_load': true},
        {'source': 'app', 'table': 'app_events', 'base': 'base_app__events',
         'staging': 'stg_app__events', 'key': 'event_id', 'by_load': true},
    ]) }}
{%- endmacro %}

