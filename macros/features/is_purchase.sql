{#-
    Whether an order counts as a purchase: a status in var('purchase_statuses') and a positive
    net amount (not fully refunded). One definition for attributing orders and for spotting
    stored orders whose flag a change of the var would flip (int_orders__attributed).
-#}
{% macro is_purchase(order_status, net_amount) -%}
    ({{ order_status }} in ({{ sql_string_list(var('purchase_statuses')) }})
    and {{ net_amount }} > 0)
{%- endmacro %}
