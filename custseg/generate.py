"""Deterministic demo raw-data generator.

Everything is generated inside DuckDB SQL (set-based SQL over ``range()``, joins and ``unnest``);
Python only assembles SQL text, small reference lists and the manifest. Pseudo-randomness comes
exclusively from hashing: ``u(key, salt)`` maps ``hash(key, salt, seed)`` to ``[0, 1)``, so the same
``(contacts, seed, end_date)`` always yields the same content, whatever the thread count or row
order of the output files.

Output (``out_dir``):

* ``<raw table>.parquet`` for every table of :data:`custseg.contract.RAW_TABLES` (exact columns,
  order and DuckDB types of the contract),
* ``ground_truth__<table>.parquet`` for every table of :data:`custseg.contract.TRUTH_TABLES`,
* ``manifest.json``: parameters, generator version, per-table row counts and order-independent
  content checksums (sum of the row hashes modulo 2**64, computed by DuckDB on the written file).

The planted personas and every class of dirty data with its rate are described in
``docs/demo_data.md``; the rates themselves live in :data:`DIRT_RATES`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import shutil
import time
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import duckdb

from custseg.contract import RAW_TABLES, TRUTH_TABLES

GENERATOR_VERSION = "1.1.0"

#: Months of order history before ``end_date`` (2022-05-01 .. 2026-10-31 for the default).
HISTORY_MONTHS = 54

#: Planted persona shares (of the generated contacts; test accounts are carved out of them).
PERSONA_SHARES: dict[str, float] = {
    "champion": 0.05,
    "loyal": 0.10,
    "new": 0.06,
    "one_time": 0.15,
    "slipping": 0.10,
    "churned": 0.12,
    "dormant_lead": 0.25,
    "power_user": 0.07,
    "casual": 0.10,
}

#: Share of contacts that are B2B (account_id set).
B2B_SHARE = 0.25
#: Contacts per account (accounts = round(contacts / CONTACTS_PER_ACCOUNT)).
CONTACTS_PER_ACCOUNT = 40
#: Account size classes: share, employee range, relative weight when contacts pick an account.
ACCOUNT_SIZES: dict[str, tuple[float, int, int, int]] = {
    "smb": (0.70, 1, 50, 2),
    "mid_market": (0.22, 51, 1000, 7),
    "enterprise": (0.08, 1001, 50000, 20),
}

# Planted rates of dirty data. Key: "<table>.<class>". Unless a comment says otherwise the rate
# is a share of the table's rows (after all planting). The generator plants an exact number of
# rows/entities (round(rate * base)) for every class except the app_events ones, which are drawn
# per event/session from the hash and are therefore approximate (binomial noise; at 2,000
# contacts still within a few percent relative).
DIRT_RATES: dict[str, float] = {
    # --- crm_accounts -------------------------------------------------------------------------
    # rows that are an exact copy of another row
    "crm_accounts.exact_duplicate_rows": 0.01,
    # rows whose account_id is NULL or '' (copies of a real row with the key blanked)
    "crm_accounts.null_or_empty_id": 0.005,
    # share of accounts whose latest version (max updated_at) has is_deleted = true
    "crm_accounts.deleted": 0.01,
    # share of accounts with versions normal -> deleted -> restored (latest is_deleted = false)
    "crm_accounts.deleted_then_restored": 0.005,
    # share of accounts whose country is an unknown/empty value (Atlantis, N/A, '', NULL, ...)
    "crm_accounts.unknown_country": 0.005,
    # --- crm_contacts -------------------------------------------------------------------------
    # share of contacts (distinct contact_id) with a second version: later updated_at and a
    # changed lifecycle_stage (and job_title for B2B contacts)
    "crm_contacts.second_version": 0.04,
    # rows that are an exact copy of another row
    "crm_contacts.exact_duplicate_rows": 0.005,
    # rows whose contact_id is NULL or '' (copies of a real row with the key blanked)
    "crm_contacts.null_or_empty_id": 0.003,
    # share of non-merged contacts with an email whose email has upper case letters and/or
    # leading/trailing spaces
    "crm_contacts.messy_email": 0.03,
    # share of contacts whose latest version has is_deleted = true
    "crm_contacts.deleted": 0.01,
    # share of contacts with versions normal -> deleted -> restored
    "crm_contacts.deleted_then_restored": 0.002,
    # share of contacts that are test accounts (email @example.com / @test.internal,
    # first_name 'Test', persona 'test_account' in the ground truth)
    "crm_contacts.test_accounts": 0.003,
    # duplicate person records (rows with merged_into_contact_id set: new contact_id, same email
    # maybe in another case) per surviving (non-merged) contact; some of the person's orders and
    # events carry the duplicate's id
    "crm_contacts.duplicate_person": 0.015,
    # share of contacts whose country is an unknown/empty value
    "crm_contacts.unknown_country": 0.005,
    # --- crm_nps_responses --------------------------------------------------------------------
    "crm_nps_responses.exact_duplicate_rows": 0.005,
    # score outside 0..10 (11, -1, 99)
    "crm_nps_responses.score_out_of_range": 0.003,
    "crm_nps_responses.null_contact_id": 0.002,
    # contact_id 'C9xxxxxxx' that no CRM contact has
    "crm_nps_responses.unknown_contact_id": 0.002,
    # --- shop_orders (share of distinct non-empty order_id unless said otherwise) ------------
    # orders that also have an earlier row (same order_id, status 'placed', earlier updated_at)
    "shop_orders.earlier_version": 0.05,
    # rows that are an exact copy of another row (share of rows)
    "shop_orders.exact_duplicate_rows": 0.01,
    # rows with order_id NULL or '' (share of rows; copies of a real order with the key blanked)
    "shop_orders.null_or_empty_id": 0.002,
    # guest checkout: contact_id NULL, customer_email = a contact's email in mixed case/spaces
    "shop_orders.guest_known_email": 0.03,
    # guest checkout with an email no contact has
    "shop_orders.guest_unknown_email": 0.005,
    # contact_id 'C9xxxxxxx' that no CRM contact has
    "shop_orders.unknown_contact_id": 0.005,
    "shop_orders.negative_gross": 0.003,
    # gross_amount = 0 (all items have unit_price 0)
    "shop_orders.zero_gross": 0.005,
    # currency not one of the 13 known codes after trim/upper ('XXX', 'BTC', 'ZZZ', '', NULL)
    "shop_orders.unknown_currency": 0.003,
    # known currency written in lower/mixed case and/or with spaces ('usd', ' eur', 'Gbp ')
    "shop_orders.currency_variant_spelling": 0.02,
    # ordered_at in the years 2031-2099
    "shop_orders.future_ordered_at": 0.001,
    # status 'on_hold_legacy'
    "shop_orders.unknown_status": 0.001,
    # --- shop_order_items (share of rows) -----------------------------------------------------
    "shop_order_items.exact_duplicate_rows": 0.005,
    "shop_order_items.null_id": 0.001,
    "shop_order_items.nonpositive_quantity": 0.002,
    # extra item rows whose order_id exists in no order
    "shop_order_items.orphan_order_id": 0.002,
    # --- app_events (share of rows; approximate, drawn per event/session) --------------------
    # client resends: extra row with the same event_id and content and a later received_at
    # (rate = extra rows / distinct non-null event_id)
    "app_events.duplicate_event_id": 0.02,
    # received_at 1-10 days after occurred_at (normally within seconds); events of the last
    # day before end_date cannot be late, so the measured rate is a little lower
    "app_events.late_arrival": 0.03,
    # bot traffic: browser 'Googlebot', 'HeadlessChrome' or 'python-requests', anonymous only
    "app_events.bot_traffic": 0.01,
    # properties that are not valid JSON
    "app_events.malformed_json": 0.005,
    "app_events.null_event_id": 0.001,
    # occurred_at after received_at by hours to days (device clock ahead)
    "app_events.clock_ahead": 0.002,
    # ip_country is an unknown/empty value (drawn per session)
    "app_events.unknown_country": 0.005,
}

#: Share of event volume from anonymous-only visitors (never sign in), bots excluded.
ANONYMOUS_VISITOR_SHARE = 0.10

# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------

# code, English short name, ISO-3, weight, currency, language, tld, phone prefix, tax rate,
# [(city, [region spellings])], extra aliases
_COUNTRIES: list[tuple[str, str, str, int, str, str, str, str, float, list[tuple[str, list[str]]], list[str]]] = [
    ("US", "United States", "USA", 25, "USD", "en", "com", "1", 0.07,
     [("New York", ["NY", "New York"]), ("San Francisco", ["CA", "California"]),
      ("Austin", ["TX", "Texas"]), ("Chicago", ["IL", "Illinois"]), ("Seattle", ["WA", "Washington"])],
     ["USA", "U.S.", "U.S.A.", "United States of America", "America"]),
    ("GB", "United Kingdom", "GBR", 8, "GBP", "en", "co.uk", "44", 0.20,
     [("London", ["England", "Greater London"]), ("Manchester", ["England", "Greater Manchester"]),
      ("Edinburgh", ["Scotland"])],
     ["UK", "U.K.", "Great Britain", "England", "Britain"]),
    ("DE", "Germany", "DEU", 8, "EUR", "de", "de", "49", 0.19,
     [("Berlin", ["Berlin", "BE"]), ("München", ["Bayern", "Bavaria", "BY"]),
      ("Hamburg", ["Hamburg", "HH"]), ("Köln", ["NRW", "Nordrhein-Westfalen"])],
     ["Deutschland"]),
    ("FR", "France", "FRA", 6, "EUR", "fr", "fr", "33", 0.20,
     [("Paris", ["Île-de-France", "IDF"]), ("Lyon", ["Auvergne-Rhône-Alpes"]),
      ("Marseille", ["PACA", "Provence-Alpes-Côte d'Azur"])],
     []),
    ("CA", "Canada", "CAN", 5, "CAD", "en", "ca", "1", 0.13,
     [("Toronto", ["ON", "Ontario"]), ("Vancouver", ["BC", "British Columbia"]),
      ("Montréal", ["QC", "Québec", "Quebec"])],
     []),
    ("IN", "India", "IND", 5, "INR", "en", "in", "91", 0.18,
     [("Bengaluru", ["Karnataka", "KA"]), ("Mumbai", ["Maharashtra", "MH"]), ("New Delhi", ["Delhi", "NCT of Delhi"])],
     []),
    ("AU", "Australia", "AUS", 4, "AUD", "en", "com.au", "61", 0.10,
     [("Sydney", ["NSW", "New South Wales"]), ("Melbourne", ["VIC", "Victoria"])],
     []),
    ("JP", "Japan", "JPN", 4, "JPY", "ja", "jp", "81", 0.10,
     [("Tokyo", ["Tokyo", "東京都"]), ("Osaka", ["Osaka", "大阪府"])],
     ["Nippon"]),
    ("BR", "Brazil", "BRA", 4, "BRL", "pt-BR", "com.br", "55", 0.17,
     [("São Paulo", ["SP", "São Paulo"]), ("Rio de Janeiro", ["RJ", "Rio de Janeiro"])],
     ["Brasil"]),
    ("NL", "Netherlands", "NLD", 3, "EUR", "en", "nl", "31", 0.20,
     [("Amsterdam", ["Noord-Holland", "North Holland"]), ("Rotterdam", ["Zuid-Holland"])],
     ["Holland", "The Netherlands"]),
    ("ES", "Spain", "ESP", 3, "EUR", "es", "es", "34", 0.20,
     [("Madrid", ["Madrid", "Comunidad de Madrid"]), ("Barcelona", ["Cataluña", "Catalonia"])],
     ["España", "Espana"]),
    ("IT", "Italy", "ITA", 3, "EUR", "en", "it", "39", 0.20,
     [("Milano", ["Lombardia", "Lombardy"]), ("Roma", ["Lazio"])],
     ["Italia"]),
    ("SE", "Sweden", "SWE", 2, "SEK", "en", "se", "46", 0.20,
     [("Stockholm", ["Stockholms län", "Stockholm"]), ("Göteborg", ["Västra Götaland"])],
     ["Sverige"]),
    ("CH", "Switzerland", "CHE", 2, "CHF", "de", "ch", "41", 0.08,
     [("Zürich", ["ZH", "Zürich"]), ("Genève", ["GE", "Geneva"])],
     ["Schweiz", "Suisse"]),
    ("MX", "Mexico", "MEX", 2, "MXN", "es", "com.mx", "52", 0.16,
     [("Ciudad de México", ["CDMX", "Ciudad de México"]), ("Guadalajara", ["Jalisco", "JAL"])],
     ["México"]),
    ("SG", "Singapore", "SGP", 2, "SGD", "en", "sg", "65", 0.09,
     [("Singapore", ["Singapore", ""])],
     []),
    ("PL", "Poland", "POL", 2, "PLN", "en", "pl", "48", 0.20,
     [("Warszawa", ["Mazowieckie", "Masovia"]), ("Kraków", ["Małopolskie"])],
     []),
    ("IE", "Ireland", "IRL", 1, "EUR", "en", "ie", "353", 0.20, [("Dublin", ["Co. Dublin", "Leinster"])], []),
    ("ZA", "South Africa", "ZAF", 1, "USD", "en", "co.za", "27", 0.15,
     [("Cape Town", ["Western Cape"]), ("Johannesburg", ["Gauteng"])], []),
    ("NZ", "New Zealand", "NZL", 1, "AUD", "en", "co.nz", "64", 0.15, [("Auckland", ["Auckland"])], []),
    ("AT", "Austria", "AUT", 1, "EUR", "de", "at", "43", 0.20, [("Wien", ["Wien", "Vienna"])], ["Österreich"]),
    ("BE", "Belgium", "BEL", 1, "EUR", "fr", "be", "32", 0.20, [("Bruxelles", ["Brussels", "Bruxelles-Capitale"])], []),
    ("DK", "Denmark", "DNK", 1, "EUR", "en", "dk", "45", 0.20, [("København", ["Hovedstaden"])], []),
    ("NO", "Norway", "NOR", 1, "EUR", "en", "no", "47", 0.20, [("Oslo", ["Oslo"])], []),
    ("FI", "Finland", "FIN", 1, "EUR", "en", "fi", "358", 0.20, [("Helsinki", ["Uusimaa"])], []),
    ("PT", "Portugal", "PRT", 1, "EUR", "en", "pt", "351", 0.20, [("Lisboa", ["Lisboa", "Lisbon"])], []),
    ("AR", "Argentina", "ARG", 1, "USD", "es", "com.ar", "54", 0.20, [("Buenos Aires", ["CABA", "Buenos Aires"])], []),
    ("KR", "South Korea", "KOR", 1, "USD", "en", "kr", "82", 0.10, [("Seoul", ["Seoul", "서울"])],
     ["South Korea", "Korea, Republic of"]),
    ("CN", "China", "CHN", 1, "USD", "en", "cn", "86", 0.13, [("Shanghai", ["Shanghai"]), ("Beijing", ["Beijing"])],
     ["PRC", "China"]),
    ("AE", "United Arab Emirates", "ARE", 1, "USD", "en", "ae", "971", 0.05, [("Dubai", ["Dubai"])],
     ["UAE", "United Arab Emirates"]),
]

#: Planted unknown/empty country values (None = SQL NULL).
UNKNOWN_COUNTRIES: list[str | None] = ["Atlantis", "Narnia", "N/A", "unknown", "--", "", None]

#: Currency -> (units per USD, decimals written).
CURRENCIES: dict[str, tuple[float, int]] = {
    "USD": (1.0, 2), "EUR": (0.92, 2), "GBP": (0.79, 2), "CAD": (1.36, 2), "AUD": (1.52, 2),
    "JPY": (150.0, 0), "CHF": (0.88, 2), "SEK": (10.5, 2), "BRL": (5.0, 2), "INR": (83.0, 2),
    "MXN": (17.0, 2), "SGD": (1.35, 2), "PLN": (4.0, 2),
}
#: Planted unknown currency values (None = SQL NULL).
UNKNOWN_CURRENCIES: list[str | None] = ["XXX", "BTC", "ZZZ", "", None]

ORDER_STATUSES = ["completed", "shipped", "placed", "cancelled", "refunded", "returned"]
UNKNOWN_STATUS = "on_hold_legacy"
CHANNELS = ["web", "mobile_app", "marketplace", "store", "phone"]
CATEGORIES = ["Electronics", "Home & Kitchen", "Books", "Fashion", "Beauty", "Sports", "Toys", "Grocery"]
# log of the median USD list price per category
_CATEGORY_MU = [4.1, 3.5, 2.7, 3.6, 3.0, 3.7, 3.2, 2.0]
_CATEGORY_NOUNS = [
    ["Wireless Headphones", "USB-C Charger", "Bluetooth Speaker", "4K Monitor", "Smartwatch",
     "Mechanical Keyboard", "Webcam", "Power Bank"],
    ["Chef's Knife", "Espresso Maker", "Cast Iron Pan", "Blender", "Cutting Board", "Kettle",
     "Food Container Set", "Toaster"],
    ["Cookbook", "Sci-Fi Novel", "Travel Guide", "Biography", "Data Science Handbook", "Poetry Collection",
     "Children's Book", "History of Europe"],
    ["Denim Jacket", "Running Sneakers", "Wool Scarf", "Leather Belt", "Summer Dress", "Hoodie",
     "Rain Coat", "Chino Pants"],
    ["Face Serum", "Shampoo", "Lip Balm", "Sunscreen SPF 50", "Perfume", "Hand Cream", "Beard Oil",
     "Night Cream"],
    ["Yoga Mat", "Dumbbell Set", "Tennis Racket", "Cycling Helmet", "Water Bottle", "Running Belt",
     "Resistance Bands", "Football"],
    ["Building Blocks", "Puzzle 1000", "Plush Bear", "Model Car", "Board Game", "Kite", "Doll House",
     "Science Kit"],
    ["Coffee Beans", "Green Tea", "Olive Oil", "Dark Chocolate", "Pasta", "Granola", "Hot Sauce",
     "Maple Syrup"],
]
_BRANDS = ["Norda", "Vexo", "Kalma", "Brio", "Lumio", "Tessa", "Orvo", "Zenka", "Pell", "Arko",
           "Miro", "Sola", "Quill", "Bexa", "Tamo", "Yuro"]
_TIER_SUFFIX = ["", " Plus", " Pro", " Pro Max"]

EVENT_NAMES = ["page_viewed", "product_viewed", "product_added_to_cart", "checkout_started",
               "order_completed", "signed_in", "feature_used", "search_performed"]
FEATURES = ["reports", "dashboards", "exports", "integrations", "alerts", "api_keys", "team_invites",
            "saved_searches", "wishlist", "price_alerts", "bulk_edit", "scheduled_reports", "audit_log"]
_PAGE_PATHS = ["/", "/pricing", "/deals", "/help", "/about", "/blog/gift-guide", "/blog/how-to-choose",
               "/account", "/category/electronics", "/category/fashion", "/shipping", "/returns", "/careers"]
_SEARCHES = ["wireless headphones", "coffee", "yoga mat", "gift for dad", "running shoes", "kettle",
             "lego", "sunscreen", "monitor 27 inch", "olive oil", "board game", "rain jacket"]
_BOT_BROWSERS = ["Googlebot", "HeadlessChrome", "python-requests"]
_MALFORMED_JSON = ['{"sku": "SKU-1', "not json", "{]"]
_UTMS = [  # (source, medium, campaign)
    ("google", "cpc", "brand_search"), ("google", "cpc", "generic_search"), ("facebook", "paid_social", "retargeting"),
    ("instagram", "paid_social", "spring_sale"), ("newsletter", "email", "newsletter_weekly"),
    ("linkedin", "paid_social", "b2b_webinar"), ("bing", "cpc", "brand_search"), ("tiktok", "paid_social", "summer_drop"),
    ("partner_site", "referral", "affiliate"), ("email", "email", "black_friday"),
]
_REFERRERS = ["https://www.google.com/", "https://www.google.com/", "https://www.facebook.com/", "https://t.co/",
              "https://www.bing.com/", "https://news.ycombinator.com/", "https://www.linkedin.com/",
              "android-app://com.google.android.gm", None, None, None]

# raw industry name, ground-truth industry_group (the group labels of seeds/industry_groups.csv)
INDUSTRIES: list[tuple[str, str]] = [
    ("Software", "Technology"), ("SaaS", "Technology"), ("Computer Software", "Technology"),
    ("Financial Services", "Financial Services"), ("Banking", "Financial Services"),
    ("Insurance", "Financial Services"), ("Retail", "Retail & E-commerce"), ("E-commerce", "Retail & E-commerce"),
    ("Healthcare", "Healthcare"), ("Hospital & Health Care", "Healthcare"), ("Manufacturing", "Manufacturing"),
    ("Education", "Education"), ("Higher Education", "Education"), ("Media", "Media & Telecom"),
    ("Telecommunications", "Media & Telecom"), ("Logistics", "Logistics & Transport"),
    ("Consulting", "Professional Services"), ("Non-profit", "Public Sector & Non-profit"),
    ("Government", "Public Sector & Non-profit"), ("Real Estate", "Real Estate"), ("Energy", "Energy & Utilities"),
]
TECHNOLOGIES = ["Salesforce", "HubSpot", "Pipedrive", "Zoho CRM", "Snowflake", "BigQuery", "Redshift",
                "Databricks", "PostgreSQL", "MySQL", "Tableau", "Looker", "Power BI", "Slack", "Microsoft Teams",
                "Zendesk", "Intercom", "Shopify", "Stripe", "AWS", "Azure", "GCP", "Segment", "Marketo", "Mailchimp"]
_ACCOUNT_WORD1 = ["North", "Blue", "Bright", "Silver", "Quantum", "Green", "Iron", "Nova", "Apex", "Summit",
                  "Harbor", "Cedar", "Atlas", "Pioneer", "Vertex", "Lumen", "Orbit", "Granite", "Maple", "Falcon",
                  "Crystal", "Redwood", "Beacon", "Polar", "Sterling", "Urban", "Golden", "Swift", "Coral", "Aurora"]
_ACCOUNT_WORD2 = ["Analytics", "Labs", "Systems", "Logistics", "Foods", "Health", "Capital", "Media", "Works",
                  "Dynamics", "Solutions", "Networks", "Partners", "Energy", "Retail", "Robotics", "Software",
                  "Bank", "Insurance", "Consulting"]
_ACCOUNT_SUFFIX = ["Inc.", "LLC", "Ltd", "GmbH", "AG", "SA", "AB", "B.V.", "", "", ""]

JOB_TITLES = ["VP of Marketing", "Head of Data", "Software Engineer", "CEO", "Chief Technology Officer",
              "Director of Sales", "Marketing Manager", "Data Analyst", "Account Executive", "Founder",
              "Senior Engineer", "Product Manager", "CFO", "Intern"]
LIFECYCLE_STAGES = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
                    "customer", "evangelist", "other"]
LEAD_SOURCES = ["organic_search", "paid_search", "social", "referral", "email", "direct", "event", "partner"]
_CONSUMER_DOMAINS = ["gmail.com", "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
                     "icloud.com", "gmx.de", "proton.me", "web.de", "orange.fr"]
_FEMALE = ["Emma", "Olivia", "Sofia", "Mia", "Chloé", "Zoë", "Hannah", "Lena", "Amélie", "Ana", "Lucía", "María",
           "Yuki", "Sakura", "Priya", "Ananya", "Aisha", "Fatima", "Ingrid", "Astrid", "Freya", "Julia", "Laura",
           "Sarah", "Emily", "Grace", "Isabella", "Camila", "Valentina", "Nora", "Léa", "Maja", "Zofia", "Chiara"]
_MALE = ["Liam", "Noah", "Lucas", "Mateo", "Leon", "Jonas", "Felix", "Hugo", "Louis", "José", "Diego", "Santiago",
         "João", "Pedro", "Kenji", "Haruto", "Arjun", "Rohan", "Omar", "Ahmed", "Björn", "Lars", "Erik", "Søren",
         "Mikael", "Paul", "David", "James", "Oliver", "Thomas", "Marco", "Luca", "Jakub", "Wei"]
_NEUTRAL = ["Alex", "Sam", "Robin", "Kim", "Charlie", "Jordan", "Taylor", "Noa", "Ari", "Quinn"]
_LAST = ["Smith", "Johnson", "Williams", "Brown", "Garcia", "Martínez", "Rodríguez", "López", "Müller", "Schmidt",
         "Schneider", "Fischer", "Weber", "Dubois", "Lefèvre", "Moreau", "Rossi", "Bianchi", "Silva", "Santos",
         "Oliveira", "Tanaka", "Suzuki", "Sato", "Kim", "Lee", "Park", "Wang", "Li", "Zhang", "Patel", "Sharma",
         "Singh", "Kumar", "Nowak", "Kowalski", "Andersson", "Johansson", "Nielsen", "Hansen", "Jensen",
         "O'Brien", "Murphy", "Kelly", "van der Berg", "de Vries", "Jansen", "Novak", "Cohen", "Khan", "Nguyen",
         "Tremblay", "Roy", "Horvath"]
_NPS_POSITIVE = ["Great service 👍", "Love the app ❤️", "Très bien, livraison rapide", "Super Qualität! 😀",
                 "Muy buen servicio", "配送が早かった、ありがとう", "Fast delivery, will order again",
                 "Best shop for gifts 🎁", "Ótimo atendimento"]
_NPS_NEUTRAL = ["ok", "Fine I guess", "Prices could be lower", "Delivery took a while", "Ça va",
                "Geht so — Versand zu teuer", "Website is a bit slow"]
_NPS_NEGATIVE = ["Delivery was late 😡", "Support never answered…", "Preis-Leistung stimmt nicht",
                 "Item arrived broken 👎", "Never again", "Rückerstattung dauert ewig", "Muy mala experiencia"]

_SQL_INT_LIMIT = 2**63

# --------------------------------------------------------------------------------------------
# small helpers (Python builds SQL text; no row data passes through Python)
# --------------------------------------------------------------------------------------------


def _q(value: str | None) -> str:
    """SQL literal for a string (or NULL)."""
    if value is None:
        return "NULL"
    return "'" + value.replace("'", "''") + "'"


def _lst(values: Sequence[str | None]) -> str:
    """SQL list literal of strings."""
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _pick(values: Sequence[str | None], u: str) -> str:
    """Uniform pick from a constant list with the uniform expression ``u``."""
    return f"{_lst(values)}[1 + floor({u} * {len(values)})::INTEGER]"


def _wcase(u: str, options: Sequence[tuple[str, float]]) -> str:
    """Weighted choice: ``options`` are (SQL expression, weight); ``u`` a [0,1) column name."""
    total = float(sum(w for _, w in options))
    parts: list[str] = []
    cum = 0.0
    for expr, weight in options[:-1]:
        cum += weight
        parts.append(f"WHEN {u} < {cum / total!r} THEN {expr}")
    return f"(CASE {' '.join(parts)} ELSE {options[-1][0]} END)"


def _ascii(name: str) -> str:
    """Lower-case ASCII form of a name for e-mail local parts."""
    table = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "å": "a"})
    folded = unicodedata.normalize("NFKD", name.translate(table)).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalpha())


def country_spellings() -> dict[str, list[str]]:
    """Every spelling the generator writes for each country (ISO-2 code -> distinct spellings)."""
    return {code: sorted({s for s, _ in _spelling_weights(code, name, iso3, aliases)})
            for code, name, iso3, *_rest, aliases in _COUNTRIES}


def _spelling_weights(code: str, name: str, iso3: str, aliases: list[str]) -> list[tuple[str, int]]:
    """Spellings of one country with integer weights summing to 100."""
    aliases = [a for a in aliases if a != name]
    out = [(code, 40), (name, 18), (iso3, 8), (code.lower(), 4), (name.upper(), 3), (name.lower(), 3),
           (f" {name}", 1), (f"{code} ", 1)]
    alias_weight = 22
    if not aliases:
        out[1] = (name, 18 + alias_weight)
    else:
        share, rest = divmod(alias_weight, len(aliases))
        for i, alias in enumerate(aliases):
            out.append((alias, share + (1 if i < rest else 0)))
    assert sum(w for _, w in out) == 100
    return [(s, w) for s, w in out if w > 0]


#: ISO-2 code -> distinct country spellings written by the generator (for tests and seeds).
COUNTRY_SPELLINGS: dict[str, list[str]] = country_spellings()


def _history_start(end_date: dt.date) -> dt.date:
    """First day of the order history: HISTORY_MONTHS months before the day after end_date."""
    nxt = end_date + dt.timedelta(days=1)
    month0 = nxt.year * 12 + (nxt.month - 1) - HISTORY_MONTHS
    year, month = divmod(month0, 12)
    day = min(nxt.day, 28)
    return dt.date(year, month + 1, day)


def _epoch_us(day: dt.date) -> int:
    return int((dt.datetime(day.year, day.month, day.day) - dt.datetime(1970, 1, 1)).total_seconds()) * 1_000_000


def _memory_limit_mb() -> int:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 8 * 1024**3
    return max(512, int(total * 0.6 / 1024**2))


def _projection(columns: list[tuple[str, str]]) -> str:
    """Final SELECT list: every contract column, cast to its contract type, in contract order."""
    return ",\n  ".join(f"CAST({col} AS {typ.upper()}) AS {col}" for col, typ in columns)


# --------------------------------------------------------------------------------------------
# generator
# --------------------------------------------------------------------------------------------


class _Gen:
    """One generation run: holds the connection and the derived parameters."""

    DAY = 86_400_000_000  # microseconds per day

    def __init__(self, out_dir: pathlib.Path, contacts: int, seed: int, end_date: dt.date,
                 progress: Callable[[str], None] | None) -> None:
        if contacts < 100:
            raise ValueError("contacts must be >= 100")
        if contacts > 20_000_000:
            # id widths: 'A' + 6 digits for accounts, 'C9xxxxxxx' for contacts the CRM does not know
            raise ValueError("contacts must be <= 20,000,000")
        if not 0 <= seed < _SQL_INT_LIMIT:
            raise ValueError("seed must be in [0, 2**63)")
        self.out = out_dir
        self.n = int(contacts)
        self.seed = int(seed)
        self.end_date = end_date
        self.start_date = _history_start(end_date)
        self.end_us = _epoch_us(end_date + dt.timedelta(days=1))  # exclusive end of the data
        self.start_us = _epoch_us(self.start_date)
        self.h_days = (end_date + dt.timedelta(days=1) - self.start_date).days  # history length
        self.hc = self.h_days - 15  # latest creation age so pre-signup visits stay in history
        self.n_accounts = max(1, round(self.n / CONTACTS_PER_ACCOUNT))
        self.progress = progress
        self.manifest_tables: dict[str, dict[str, Any]] = {}
        self.tmp_dir = out_dir / ".generate_tmp"
        self.db_path: pathlib.Path | None = None
        self.con: duckdb.DuckDBPyConnection

    # -- infrastructure ------------------------------------------------------------------------

    def _say(self, msg: str) -> None:
        if self.progress is not None:
            self.progress(msg)

    def x(self, sql: str) -> None:
        self.con.execute(sql)

    def scalar(self, sql: str) -> Any:
        row = self.con.execute(sql).fetchone()
        assert row is not None
        return row[0]

    def u(self, key: str, salt: str) -> str:
        return f"u({key}, {_q(salt)})"

    def open(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        if self.tmp_dir.exists():
            shutil.rmtree(self.tmp_dir)
        self.tmp_dir.mkdir()
        if self.n > 3_000_000:
            self.db_path = self.tmp_dir / "generate.duckdb"
            self.con = duckdb.connect(str(self.db_path))
        else:
            self.con = duckdb.connect(":memory:")
        self.x("SET preserve_insertion_order = false")
        self.x(f"SET memory_limit = '{_memory_limit_mb()}MB'")
        self.x(f"SET temp_directory = {_q(str(self.tmp_dir / 'spill'))}")
        seed = self.seed
        # u(): uniform [0,1) from the 53 high bits of a seeded hash; ui(): integer in [lo, hi];
        # nrm(): standard normal via Box-Muller from two such uniforms; hexid(): 16 hex chars from a
        # 3-round Feistel permutation of a 64-bit key (a bijection, so unique keys give unique ids).
        self.x(f"CREATE MACRO u(k, s) AS ((hash(k, s, {seed}::BIGINT) >> 11)::DOUBLE * {2.0**-53!r})")
        self.x("CREATE MACRO ui(k, s, lo, hi) AS ((lo) + floor(u(k, s) * ((hi) - (lo) + 1)))::BIGINT")
        self.x("CREATE MACRO nrm(k, s) AS (sqrt(-2.0 * ln(1.0 - u(k, s || '#1'))) * cos(2.0 * pi() * u(k, s || '#2')))")
        self.x(f"CREATE MACRO feistel_f(l, r, k) AS xor(l, hash(r, k, {seed}::BIGINT) & 4294967295::UBIGINT)")
        self.x("CREATE MACRO feistel3(l0, r0) AS printf('%08x%08x', feistel_f(r0, feistel_f(l0, r0, 1), 2), "
               "feistel_f(feistel_f(l0, r0, 1), feistel_f(r0, feistel_f(l0, r0, 1), 2), 3))")
        self.x("CREATE MACRO hexid(x) AS feistel3((x)::UBIGINT >> 32, (x)::UBIGINT & 4294967295::UBIGINT)")
        self.x("CREATE MACRO ts(us) AS make_timestamp((us)::BIGINT // 1000000 * 1000000)")  # whole seconds
        self.x("CREATE MACRO ts_ms(us) AS make_timestamp((us)::BIGINT // 1000 * 1000)")  # milliseconds

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            shutil.rmtree(self.tmp_dir, ignore_errors=True)

    def write(self, name: str, select_sql: str, columns: list[tuple[str, str]], started: float) -> None:
        """COPY a query (whose columns are the contract's) to parquet, then checksum the file."""
        path = self.out / f"{name}.parquet"
        tmp = self.out / f".{name}.parquet.tmp"
        self.x(f"COPY ({select_sql}) TO {_q(str(tmp))} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1)")
        os.replace(tmp, path)
        rows, checksum = self.con.execute(
            f"SELECT count(*), (coalesce(sum(hash(t)::HUGEINT), 0) % 18446744073709551616)::UBIGINT "
            f"FROM read_parquet({_q(str(path))}) AS t").fetchone()  # type: ignore[misc]
        described = self.con.execute(f"DESCRIBE SELECT * FROM read_parquet({_q(str(path))})").fetchall()
        got = [(r[0], r[1].lower()) for r in described]
        want = [(c, t.lower()) for c, t in columns]
        if got != want:
            raise RuntimeError(f"{name}: written columns {got} differ from the contract {want}")
        self.manifest_tables[name] = {"file": path.name, "rows": int(rows), "checksum": f"{int(checksum):016x}"}
        self._say(f"  {name:<36} {int(rows):>12,} rows  {time.perf_counter() - started:7.1f}s")

    # -- reference tables ----------------------------------------------------------------------

    def reference(self) -> None:
        rows = []
        for i, (code, name, iso3, weight, cur, lang, tld, cc, tax, cities, aliases) in enumerate(_COUNTRIES, 1):
            spell: list[str] = []
            for s, w in _spelling_weights(code, name, iso3, aliases):
                spell += [s] * w
            fx, dec = CURRENCIES[cur]
            rows.append(
                f"({i}, {_q(code)}, {_q(name)}, {weight}, {_q(cur)}, {fx!r}, {dec}, {_q(lang)}, {_q(tld)}, "
                f"{_q(cc)}, {tax!r}, {_lst([c for c, _ in cities])}, {_lst(['|'.join(r) for _, r in cities])}, "
                f"{_lst(spell)})")
        self.x("CREATE TABLE ref_country AS SELECT * FROM (VALUES " + ",\n".join(rows) + ") AS t(cidx, code, "
               "name, weight, currency, fx, dec, lang, tld, phone_cc, tax, cities, regions, spell)")
        # catalog: 4000 SKUs = 8 categories x 4 price tiers x 125 products, lognormal list price
        nouns = "[" + ", ".join(_lst(n) for n in _CATEGORY_NOUNS) + "]"
        mus = "[" + ", ".join(repr(m) for m in _CATEGORY_MU) + "]"
        self.x(f"""
            CREATE TABLE catalog AS
            SELECT x + 1 AS sku_num,
                   'SKU-' || lpad((x + 1)::VARCHAR, 5, '0') AS sku,
                   {_lst(CATEGORIES)}[x % 8 + 1] AS category,
                   {_lst(_BRANDS)}[(x // 32) % 16 + 1] || ' ' || {nouns}[x % 8 + 1][(x // 512) % 8 + 1]
                       || {_lst(_TIER_SUFFIX)}[(x // 8) % 4 + 1] AS product_name,
                   greatest(0.99, round(exp({mus}[x % 8 + 1] + 0.45 * ((x // 8) % 4) + 0.5 * nrm(x, 'price')), 2))
                       AS price_usd
            FROM range(4000) AS t(x)""")

    def country_case(self, u: str) -> str:
        return _wcase(u, [(str(i), c[3]) for i, c in enumerate(_COUNTRIES, 1)])

    @staticmethod
    def country_text(unknown_flag: str, u_unknown: str, u_spell: str) -> str:
        """Raw country text: a spelling of the joined ``rc`` country, or a planted unknown value."""
        return (f"CASE WHEN {unknown_flag} THEN {_pick(UNKNOWN_COUNTRIES, u_unknown)} "
                f"ELSE rc.spell[1 + floor({u_spell} * 100)::INTEGER] END")

    # -- accounts ------------------------------------------------------------------------------

    def accounts(self) -> None:
        a_n = self.n_accounts
        m_del = round(DIRT_RATES["crm_accounts.deleted"] * a_n)
        m_res = round(DIRT_RATES["crm_accounts.deleted_then_restored"] * a_n)
        m_unk = round(DIRT_RATES["crm_accounts.unknown_country"] * a_n)
        smb, mid, ent = ACCOUNT_SIZES["smb"], ACCOUNT_SIZES["mid_market"], ACCOUNT_SIZES["enterprise"]
        size_case = _wcase("us", [("'smb'", smb[0]), ("'mid_market'", mid[0]), ("'enterprise'", ent[0])])

        def emp(lo: int, hi: int) -> str:
            return f"least({hi}, floor(exp(ln({lo}) + ue * (ln({hi} + 1) - ln({lo})))))::INTEGER"

        combos = len(_ACCOUNT_WORD1) * len(_ACCOUNT_WORD2)
        stride = 7 if combos % 7 else 11
        tools = _lst(TECHNOLOGIES)
        self.x(f"""
            CREATE TABLE acct AS
            WITH b AS (
              SELECT a, {self.u('a', 'a_size')} AS us, {self.u('a', 'a_emp')} AS ue, {self.u('a', 'a_cty')} AS uc,
                     row_number() OVER (ORDER BY hash(a, 'a_dirt', {self.seed}::BIGINT), a) AS drk
              FROM range(1, {a_n} + 1) AS t(a)
            ), s AS (
              SELECT *, {size_case} AS size_class, {self.country_case('uc')} AS cidx,
                     ((a - 1) % {combos}) AS combo_i, ((a - 1) // {combos}) AS combo_q
              FROM b
            )
            SELECT a,
              'A' || lpad(a::VARCHAR, 6, '0') AS account_id,
              size_class,
              CASE size_class WHEN 'smb' THEN {emp(smb[1], smb[2])} WHEN 'mid_market' THEN {emp(mid[1], mid[2])}
                              ELSE {emp(ent[1], ent[2])} END AS emp0,
              CASE size_class WHEN 'smb' THEN {smb[2]} WHEN 'mid_market' THEN {mid[2]} ELSE {ent[2]} END AS emp_max,
              CASE size_class WHEN 'smb' THEN {smb[3]} WHEN 'mid_market' THEN {mid[3]} ELSE {ent[3]} END AS w,
              ui(a, 'a_ind', 0, {len(INDUSTRIES) - 1}) AS ind_i,
              cidx,
              {_lst(_ACCOUNT_WORD1)}[((combo_i * {stride} + combo_q) % {combos}) // {len(_ACCOUNT_WORD2)} + 1] AS w1,
              {_lst(_ACCOUNT_WORD2)}[((combo_i * {stride} + combo_q) % {combos}) % {len(_ACCOUNT_WORD2)} + 1] AS w2,
              CASE WHEN combo_q > 0 THEN combo_q::VARCHAR ELSE '' END AS dom_num,
              {_pick(_ACCOUNT_SUFFIX, self.u('a', 'a_sfx'))} AS suffix,
              {self.u('a', 'a_tld')} < 0.65 AS dot_com,
              CASE WHEN {self.u('a', 'a_rcur')} < 0.55 THEN 'USD' END AS rev_cur_override,
              exp(ln(150000) + 0.5 * nrm(a, 'a_rev')) AS rev_per_emp,
              ({self.start_us} - floor({self.u('a', 'a_created')} * 730 * {self.DAY}))::BIGINT AS created_us,
              CASE WHEN {self.u('a', 'a_ver')} < 0.5 THEN 1 WHEN {self.u('a', 'a_ver')} < 0.85 THEN 2 ELSE 3 END AS n_versions,
              CASE WHEN drk <= {m_del} THEN 'deleted' WHEN drk <= {m_del + m_res} THEN 'restored' ELSE 'normal' END AS del_mode,
              drk > {m_del + m_res} AND drk <= {m_del + m_res + m_unk} AS unknown_country,
              list_transform(list_sort(list_transform({tools},
                  lambda t: {{'h': hash(a, t, {self.seed}::BIGINT), 't': t}})), lambda z: z.t) AS tool_order,
              ui(a, 'a_ntools', 2, 8) AS n_tools,
              {_pick([';', ',', ' | ', '; ', ', '], self.u('a', 'a_delim'))} AS tool_delim,
              ui(a, 'a_tcase', 0, 3) AS tool_case
            FROM s""")
        self.x("""
            CREATE TABLE acct_w AS
            SELECT a, account_id, cidx, sum(w) OVER (ORDER BY a) - w AS lo FROM acct""")
        self.total_weight = int(self.scalar("SELECT sum(w) FROM acct"))

    # -- contacts ------------------------------------------------------------------------------

    def contacts(self) -> None:
        n = self.n
        d = round(DIRT_RATES["crm_contacts.duplicate_person"] * n)
        ni = n + d
        counts = [
            ("test", round(DIRT_RATES["crm_contacts.test_accounts"] * ni)),
            ("null_email", round(0.02 * n)),
            ("dup_survivor", d),
        ]
        m_null_email = counts[1][1]
        counts += [
            ("messy_email", round(DIRT_RATES["crm_contacts.messy_email"] * (n - m_null_email))),
            ("second", round(DIRT_RATES["crm_contacts.second_version"] * ni)),
            ("deleted", round(DIRT_RATES["crm_contacts.deleted"] * ni)),
            ("restored", round(DIRT_RATES["crm_contacts.deleted_then_restored"] * ni)),
            ("unknown_country", round(DIRT_RATES["crm_contacts.unknown_country"] * ni)),
        ]
        if sum(c for _, c in counts) > n:
            raise ValueError("too few contacts for the planted classes")
        bounds = []
        lo = 0
        for name, c in counts:
            bounds.append(f"WHEN drk <= {lo + c} THEN '{name}'")
            lo += c
        dirt_case = f"CASE {' '.join(bounds)} ELSE '' END"
        survivor_lo = counts[0][1] + counts[1][1]

        shares = list(PERSONA_SHARES.items())
        persona_case = _wcase("up", [(f"'{p}'", s) for p, s in shares])
        hc = self.hc
        first_f, first_m, first_n = _lst(_FEMALE), _lst(_MALE), _lst(_NEUTRAL)
        af, am, an = (_lst([_ascii(x) for x in lst]) for lst in (_FEMALE, _MALE, _NEUTRAL))
        last_l, last_a = _lst(_LAST), _lst([_ascii(x) for x in _LAST])

        self.x(f"""
            CREATE TABLE con0 AS
            WITH b AS (
              SELECT k,
                {self.u('k', 'persona')} AS up, {self.u('k', 'b2b')} AS ub, {self.u('k', 'cty')} AS uc,
                row_number() OVER (ORDER BY hash(k, 'c_dirt', {self.seed}::BIGINT), k) AS drk
              FROM range(1, {n} + 1) AS t(k)
            )
            SELECT k, drk, {dirt_case} AS dirt,
              CASE WHEN {dirt_case} = 'test' THEN 'test_account' ELSE {persona_case} END AS persona,
              ub < {B2B_SHARE} AND {dirt_case} <> 'test' AS is_b2b,
              floor({self.u('k', 'acct')} * {self.total_weight})::BIGINT AS acct_target,
              uc
            FROM b""")
        # persona timing: ages are days before the exclusive end (end_date + 1 day)
        self.x(f"""
            CREATE TABLE con1 AS
            WITH j AS (
              SELECT c.*, CASE WHEN c.is_b2b THEN aw.a END AS a, CASE WHEN c.is_b2b THEN aw.account_id END AS account_id,
                CASE WHEN c.is_b2b AND {self.u('c.k', 'acty')} < 0.8 THEN aw.cidx ELSE {self.country_case('c.uc')} END AS cidx,
                {self.u('c.k', 't_created')} AS uc1, {self.u('c.k', 't_last')} AS ul, {self.u('c.k', 't_n')} AS un
              FROM con0 c ASOF LEFT JOIN acct_w aw ON c.acct_target >= aw.lo
            ), t1 AS (
              SELECT *,
                CASE persona
                  WHEN 'champion' THEN 730 + uc1 * ({hc} - 730)
                  WHEN 'loyal' THEN 400 + uc1 * ({hc} - 400)
                  WHEN 'new' THEN 2 + uc1 * 28
                  WHEN 'slipping' THEN 480 + uc1 * ({hc} - 480)
                  WHEN 'power_user' THEN 200 + uc1 * ({hc} - 200)
                  WHEN 'casual' THEN 365 + uc1 * ({hc} - 365)
                  ELSE 1 + uc1 * ({hc} - 1) END AS created0,
                CASE persona
                  WHEN 'champion' THEN ul * 21 WHEN 'loyal' THEN ul * 60 WHEN 'one_time' THEN 90 + ul * 610
                  WHEN 'slipping' THEN 120 + ul * 180 WHEN 'churned' THEN 400 + ul * 1100
                  WHEN 'power_user' THEN ul * 120 WHEN 'casual' THEN ul * 365 ELSE NULL END AS last0
              FROM j
            ), t2 AS (
              SELECT * EXCLUDE (created0, last0),
                CASE persona
                  WHEN 'one_time' THEN last0 + uc1 * least(200, {hc} - last0)
                  WHEN 'churned' THEN last0 + uc1 * ({hc} - last0)
                  ELSE created0 END AS created_age,
                CASE persona
                  WHEN 'new' THEN ul * least(created0, 25)
                  WHEN 'test_account' THEN ul * least(created0, 365)
                  WHEN 'dormant_lead' THEN NULL
                  ELSE last0 END AS last_age
              FROM t1
            )
            SELECT *,
              CASE persona
                WHEN 'champion' THEN 730 WHEN 'loyal' THEN least(1095, created_age)
                WHEN 'new' THEN least(created_age, 25) WHEN 'one_time' THEN last_age
                WHEN 'churned' THEN least(created_age, last_age + 700)
                WHEN 'power_user' THEN least(730, created_age) WHEN 'casual' THEN least(730, created_age)
                ELSE created_age END AS span_hi,
              CASE persona
                WHEN 'champion' THEN ui(k, 'n_valid', 20, 70) WHEN 'loyal' THEN ui(k, 'n_valid', 10, 35)
                WHEN 'new' THEN CASE WHEN un < 0.15 THEN 2 ELSE 1 END WHEN 'one_time' THEN 1
                WHEN 'slipping' THEN ui(k, 'n_valid', 8, 24) WHEN 'churned' THEN ui(k, 'n_valid', 2, 14)
                WHEN 'power_user' THEN ui(k, 'n_valid', 5, 20) WHEN 'casual' THEN ui(k, 'n_valid', 4, 10)
                WHEN 'test_account' THEN ui(k, 'n_valid', 0, 2) ELSE 0 END AS n_valid,
              CASE persona
                WHEN 'champion' THEN ui(k, 'n_browse', 2, 6) WHEN 'loyal' THEN ui(k, 'n_browse', 2, 5)
                WHEN 'new' THEN ui(k, 'n_browse', 1, 4) WHEN 'one_time' THEN ui(k, 'n_browse', 1, 3)
                WHEN 'slipping' THEN ui(k, 'n_browse', 2, 4) WHEN 'churned' THEN ui(k, 'n_browse', 1, 3)
                WHEN 'dormant_lead' THEN CASE WHEN {self.u('k', 'n_browse')} < 0.8 THEN 1 ELSE 0 END
                WHEN 'power_user' THEN ui(k, 'n_browse', 24, 36) WHEN 'casual' THEN ui(k, 'n_browse', 2, 5)
                ELSE ui(k, 'n_browse', 1, 5) END AS n_browse,
              CASE WHEN persona = 'dormant_lead' THEN 0 WHEN {self.u('k', 'n_anon')} < 0.7 THEN 1 ELSE 2 END AS n_anon,
              CASE persona
                WHEN 'champion' THEN 0 WHEN 'loyal' THEN 0 WHEN 'new' THEN 0 WHEN 'casual' THEN 0
                WHEN 'power_user' THEN 0 WHEN 'dormant_lead' THEN 0 WHEN 'test_account' THEN 0
                WHEN 'one_time' THEN greatest(0, last_age - 60)
                WHEN 'slipping' THEN greatest(60, last_age - 40)
                WHEN 'churned' THEN greatest(365, last_age - 30) END AS act_lo,
              CASE WHEN persona IN ('champion', 'loyal', 'power_user', 'casual') THEN least(730, created_age)
                   ELSE created_age END AS act_hi,
              CASE persona WHEN 'champion' THEN 1.5 WHEN 'loyal' THEN 1.5 ELSE 1.0 END AS act_gamma,
              CASE persona WHEN 'champion' THEN 0.45 WHEN 'loyal' THEN 0.8 WHEN 'power_user' THEN 0.8 ELSE 1.2 END AS tier_exp,
              ui(k, 'fav_cat', 0, 7) AS fav_cat,
              {_wcase(self.u('k', 'dev'), [("'mobile'", 45), ("'desktop'", 45), ("'tablet'", 10)])} AS primary_device,
              CASE WHEN persona = 'test_account' OR {self.u('k', 'nps')} >= 0.15 THEN 0
                   ELSE {_wcase(self.u('k', 'nps_n'), [('1', 60), ('2', 28), ('3', 12)])} END AS n_nps
            FROM t2""")
        self.x("""
            CREATE TABLE con2 AS
            SELECT *,
              CASE WHEN n_valid >= 2 AND persona <> 'test_account'
                   THEN floor(n_valid * 0.148 + u(k, 'n_failed'))::BIGINT ELSE 0 END AS n_failed
            FROM con1""")
        self.x("""
            CREATE TABLE con3 AS
            SELECT *, coalesce(sum(n_valid + n_failed) OVER (ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                      AS ord_off
            FROM con2""")
        # person attributes
        stage_cust = _wcase(self.u('k', 'stage'), [("'customer'", 85), ("'evangelist'", 10), ("'other'", 5)])
        stage_champ = _wcase(self.u('k', 'stage'), [("'customer'", 65), ("'evangelist'", 30), ("'other'", 5)])
        stage_lead = _wcase(self.u('k', 'stage'), [("'subscriber'", 30), ("'lead'", 30), ("'marketingqualifiedlead'", 15),
                                                   ("'salesqualifiedlead'", 10), ("'opportunity'", 8), ("'other'", 7)])
        phone_digits = f"((2000000000 + hash(k, 'phone', {self.seed}::BIGINT) % 7999999999)::VARCHAR)"
        self.x(f"""
            CREATE TABLE con AS
            WITH p AS (
              SELECT c.*, rc.lang, rc.phone_cc,
                {self.country_text("c.dirt = 'unknown_country'", self.u('c.k', 'c_unk'), self.u('c.k', 'c_spell'))} AS country_raw,
                rc.cities[1 + floor({self.u('c.k', 'city')} * len(rc.cities))::INTEGER] AS city,
                {_wcase(self.u('c.k', 'gender'), [("'f'", 48), ("'m'", 48), ("'x'", 4)])} AS g,
                {self.u('c.k', 'fname')} AS ufn, ui(c.k, 'lname', 1, {len(_LAST)}) AS ln_i,
                a.w1, a.w2, a.dom_num, a.dot_com, arc.tld AS acct_tld
              FROM con3 c
              JOIN ref_country rc ON rc.cidx = c.cidx
              LEFT JOIN acct a ON a.a = c.a
              LEFT JOIN ref_country arc ON arc.cidx = a.cidx
            ), q AS (
              SELECT *,
                CASE g WHEN 'f' THEN {first_f}[1 + floor(ufn * {len(_FEMALE)})::INTEGER]
                       WHEN 'm' THEN {first_m}[1 + floor(ufn * {len(_MALE)})::INTEGER]
                       ELSE {first_n}[1 + floor(ufn * {len(_NEUTRAL)})::INTEGER] END AS first0,
                CASE g WHEN 'f' THEN {af}[1 + floor(ufn * {len(_FEMALE)})::INTEGER]
                       WHEN 'm' THEN {am}[1 + floor(ufn * {len(_MALE)})::INTEGER]
                       ELSE {an}[1 + floor(ufn * {len(_NEUTRAL)})::INTEGER] END AS first_ascii,
                {last_l}[ln_i] AS last_name, {last_a}[ln_i] AS last_ascii,
                CASE WHEN is_b2b THEN lower(w1 || w2) || dom_num || '.' || CASE WHEN dot_com THEN 'com' ELSE acct_tld END
                     ELSE {_pick(_CONSUMER_DOMAINS, self.u('k', 'mail_dom'))} END AS mail_domain
              FROM p
            ), e AS (
              SELECT *,
                CASE WHEN dirt = 'test' THEN 'Test' ELSE first0 END AS first_name,
                CASE WHEN dirt = 'test' THEN 'test.user' || k::VARCHAR || '@'
                                         || CASE WHEN {self.u('k', 'test_dom')} < 0.5 THEN 'example.com' ELSE 'test.internal' END
                     WHEN dirt = 'null_email' THEN NULL
                     ELSE first_ascii || '.' || last_ascii || k::VARCHAR || '@' || mail_domain END AS email_clean
              FROM q
            )
            SELECT *,
              'C' || lpad(k::VARCHAR, 8, '0') AS contact_id,
              CASE WHEN dirt = 'dup_survivor' THEN 'C' || lpad(({n} + drk - {survivor_lo})::VARCHAR, 8, '0') END AS dup_contact_id,
              CASE WHEN dirt = 'messy_email' THEN
                     CASE ui(k, 'messy', 0, 3)
                       WHEN 0 THEN upper(email_clean[1]) || email_clean[2:]
                       WHEN 1 THEN '  ' || email_clean
                       WHEN 2 THEN email_clean || ' '
                       ELSE ' ' || upper(email_clean) END
                   ELSE email_clean END AS email_raw,
              CASE WHEN {self.u('k', 'ph_null')} < 0.3 THEN NULL ELSE
                CASE ui(k, 'ph_fmt', 0, 6)
                  WHEN 0 THEN '+' || phone_cc || ' ' || {phone_digits}[1:3] || ' ' || {phone_digits}[4:6] || ' ' || {phone_digits}[7:10]
                  WHEN 1 THEN '(' || {phone_digits}[1:3] || ') ' || {phone_digits}[4:6] || '-' || {phone_digits}[7:10]
                  WHEN 2 THEN {phone_digits}
                  WHEN 3 THEN '00' || phone_cc || {phone_digits}
                  WHEN 4 THEN '+' || phone_cc || {phone_digits}
                  WHEN 5 THEN {phone_digits}[1:3] || '.' || {phone_digits}[4:6] || '.' || {phone_digits}[7:10]
                  ELSE '+' || phone_cc || '-' || {phone_digits}[1:3] || '-' || {phone_digits}[4:6] || '-' || {phone_digits}[7:10]
                END END AS phone,
              CASE WHEN {self.u('k', 'bd_null')} < CASE WHEN is_b2b THEN 0.5 ELSE 0.1 END THEN NULL
                   ELSE DATE '{self.end_date.isoformat()}' - (floor((18 + {self.u('k', 'age')} * 62) * 365.25))::INTEGER END AS birth_date,
              CASE g
                WHEN 'f' THEN {_wcase(self.u('k', 'g_raw'), [("'female'", 75), ("'F'", 12), ("'unknown'", 3), ('NULL', 10)])}
                WHEN 'm' THEN {_wcase(self.u('k', 'g_raw'), [("'male'", 75), ("'M'", 12), ("'unknown'", 3), ('NULL', 10)])}
                ELSE {_wcase(self.u('k', 'g_raw'), [("'non-binary'", 80), ("'unknown'", 10), ('NULL', 10)])} END AS gender,
              CASE WHEN is_b2b AND {self.u('k', 'jt_null')} >= 0.08 THEN ui(k, 'jt', 0, {len(JOB_TITLES) - 1}) END AS jt_i,
              CASE WHEN {self.u('k', 'lang_null')} < 0.03 THEN NULL ELSE
                (CASE WHEN {self.u('k', 'lang_up')} < 0.06 THEN upper(lng) ELSE lng END) END AS preferred_language,
              CASE WHEN persona = 'dormant_lead' THEN {stage_lead}
                   WHEN persona = 'test_account' THEN 'other'
                   WHEN persona = 'champion' THEN {stage_champ}
                   ELSE {stage_cust} END AS lifecycle_stage,
              {_pick(LEAD_SOURCES, self.u('k', 'lead_src'))} AS lead_source,
              {_wcase(self.u('k', 'optin'), [('true', 57), ('false', 38), ('NULL', 5)])} AS marketing_opt_in,
              ({self.end_us} - floor(created_age * {self.DAY}))::BIGINT AS created_us
            FROM (SELECT *, CASE WHEN is_b2b AND {self.u('k', 'lang_en')} < 0.3 THEN 'en' ELSE lang END AS lng FROM e)""")
        for t in ("con0", "con1", "con2", "con3"):
            self.x(f"DROP TABLE {t}")
        # duplicate person records: same person, new id, same email (maybe other case), merged
        self.x(f"""
            CREATE TABLE dupc AS
            SELECT c.k AS survivor_k, {n} + c.drk - {survivor_lo} AS k, c.dup_contact_id AS contact_id,
              c.contact_id AS merged_into_contact_id, c.persona, c.a, c.account_id, c.is_b2b,
              CASE WHEN {self.u('c.k', 'dup_case')} < 0.5 THEN c.email_raw
                   ELSE upper(c.email_clean[1]) || c.email_clean[2:] END AS email_raw,
              c.first_name, c.last_name, c.country_raw, c.city, c.preferred_language, c.birth_date, c.gender,
              c.jt_i,
              CASE WHEN {self.u('c.k', 'dup_ph')} < 0.6 THEN NULL ELSE c.phone END AS phone,
              CASE WHEN c.lifecycle_stage = 'subscriber' THEN 'lead' ELSE 'subscriber' END AS lifecycle_stage,
              {_pick(LEAD_SOURCES, self.u('c.k', 'dup_src'))} AS lead_source,
              c.marketing_opt_in,
              least(c.created_us + floor({self.u('c.k', 'dup_created')} * 30 * {self.DAY})::BIGINT,
                    {self.end_us} - {self.DAY}) AS created_us
            FROM con c WHERE c.dirt = 'dup_survivor'""")

    # -- orders & items -----------------------------------------------------------------------

    def orders(self) -> None:
        t0 = time.perf_counter()
        o_base = int(self.scalar("SELECT coalesce(sum(n_valid + n_failed), 0) FROM con"))
        x_guest = round(DIRT_RATES["shop_orders.guest_unknown_email"] * o_base)
        x_unk = round(DIRT_RATES["shop_orders.unknown_contact_id"] * o_base)
        o_all = o_base + x_guest + x_unk
        m_ver = round(DIRT_RATES["shop_orders.earlier_version"] * o_all)
        m_null = round(DIRT_RATES["shop_orders.null_or_empty_id"] * (o_all + m_ver))
        m_dup = round(DIRT_RATES["shop_orders.exact_duplicate_rows"] * (o_all + m_ver + m_null))
        classes = [
            ("earlier_version", m_ver), ("dup_row", m_dup), ("null_id", m_null),
            ("guest", round(DIRT_RATES["shop_orders.guest_known_email"] * o_all)),
            ("negative", round(DIRT_RATES["shop_orders.negative_gross"] * o_all)),
            ("zero", round(DIRT_RATES["shop_orders.zero_gross"] * o_all)),
            ("unknown_currency", round(DIRT_RATES["shop_orders.unknown_currency"] * o_all)),
            ("currency_variant", round(DIRT_RATES["shop_orders.currency_variant_spelling"] * o_all)),
            ("future", round(DIRT_RATES["shop_orders.future_ordered_at"] * o_all)),
            ("unknown_status", round(DIRT_RATES["shop_orders.unknown_status"] * o_all)),
        ]
        whens, lo = [], 0
        for name, c in classes:
            whens.append(f"WHEN elig AND rk <= {lo + c} THEN '{name}'")
            lo += c
        dirt_case = f"CASE {' '.join(whens)} ELSE '' END"
        day = self.DAY
        # in-flight statuses only for recent orders; a contact's latest order (i = 0, the one that
        # sets the persona's recency) is never left 'placed', so it always counts as a purchase
        status_valid = f"""CASE
              WHEN age < 6 AND i > 0 THEN {_wcase('us', [("'placed'", 75), ("'shipped'", 25)])}
              WHEN age < 2 THEN 'shipped'
              WHEN age < 14 THEN {_wcase('us', [("'shipped'", 80), ("'completed'", 20)])}
              WHEN age < 28 THEN {_wcase('us', [("'shipped'", 30), ("'completed'", 70)])}
              ELSE 'completed' END"""
        channel = _wcase("uch", [("'web'", 45), ("'mobile_app'", 25), ("'marketplace'", 15), ("'store'", 10), ("'phone'", 5)])
        channel_power = _wcase("uch", [("'web'", 25), ("'mobile_app'", 55), ("'marketplace'", 10), ("'store'", 5), ("'phone'", 5)])
        self.x(f"""
            CREATE TABLE ord AS
            WITH base AS (
              SELECT k, persona, contact_id, dup_contact_id, email_clean, cidx, fav_cat, tier_exp, last_age, span_hi,
                     n_valid, i, ord_off + i + 1 AS order_num, '' AS extra_kind
              FROM (SELECT *, unnest(range(n_valid + n_failed)) AS i FROM con WHERE n_valid + n_failed > 0)
            ), extras AS (
              SELECT NULL::BIGINT AS k, 'none' AS persona, NULL AS contact_id, NULL AS dup_contact_id, NULL AS email_clean,
                     {self.country_case(self.u('x', 'x_cty'))} AS cidx, ui(x, 'x_cat', 0, 7) AS fav_cat, 1.2 AS tier_exp,
                     NULL::DOUBLE AS last_age, NULL::DOUBLE AS span_hi, 1 AS n_valid, 0 AS i, {o_base} + x AS order_num,
                     CASE WHEN x <= {x_guest} THEN 'guest_unknown' ELSE 'unknown_contact' END AS extra_kind
              FROM range(1, {x_guest + x_unk} + 1) AS t(x)
            ), src AS (SELECT * FROM base UNION ALL SELECT * FROM extras),
            a0 AS (
              SELECT *,
                CASE WHEN extra_kind <> '' THEN {self.h_days - 1} * pow({self.u('order_num', 'o_age')}, 1.3)
                     WHEN i = 0 THEN last_age
                     ELSE last_age + {self.u('order_num', 'o_age')} * (span_hi - last_age) END AS age0,
                {self.u('order_num', 'o_season')} AS us_season
              FROM src
            ), a1 AS (
              SELECT *,
                ({self.end_us} - floor(age0 * {day}))::BIGINT AS us0,
                (epoch_us(make_date(year(ts({self.end_us} - floor(age0 * {day}))), 11, 15)::TIMESTAMP)
                   + floor({self.u('order_num', 'o_sday')} * 47 * {day}))::BIGINT AS us_cand
              FROM a0
            ), a2 AS (
              SELECT *,
                CASE WHEN i > 0 AND us_season < 0.22
                       AND ({self.end_us} - us_cand) / {day} BETWEEN coalesce(last_age, 0) AND coalesce(span_hi, {self.h_days - 1})
                     THEN us_cand ELSE us0 END // 1000000 * 1000000 AS ordered_us0
              FROM a1
            ), a3 AS (
              SELECT *, ({self.end_us} - ordered_us0) / {day} AS age,
                extra_kind = '' AND i > 0 AND email_clean IS NOT NULL AS elig,
                {self.u('order_num', 'o_status')} AS us, {self.u('order_num', 'o_channel')} AS uch
              FROM a2
            ), a4 AS (
              SELECT *, row_number() OVER (PARTITION BY elig ORDER BY hash(order_num, 'o_dirt', {self.seed}::BIGINT), order_num) AS rk
              FROM a3
            ), a5 AS (
              SELECT a4.*, {dirt_case} AS dirt,
                CASE WHEN i >= n_valid THEN {_wcase('us', [("'cancelled'", 5), ("'refunded'", 4), ("'returned'", 3)])}
                     ELSE {status_valid} END AS status_clean,
                CASE WHEN persona = 'power_user' THEN {channel_power} ELSE {channel} END AS channel,
                rc.currency AS currency_clean, rc.fx, rc.dec, rc.tax AS tax_std
              FROM a4 JOIN ref_country rc ON rc.cidx = a4.cidx
            )
            SELECT order_num, 'O' || lpad(order_num::VARCHAR, 9, '0') AS order_id, k, persona, i, extra_kind, dirt,
              status_clean, channel, currency_clean, fx, dec, fav_cat, tier_exp,
              CASE WHEN dirt = 'future'
                   THEN ({_epoch_us(dt.date(2031, 1, 1))} + floor({self.u('order_num', 'o_future')}
                         * {(_epoch_us(dt.date(2099, 12, 31)) - _epoch_us(dt.date(2031, 1, 1))) // 1_000_000}) * 1000000)::BIGINT
                   ELSE ordered_us0 END AS ordered_us,
              CASE WHEN dirt = 'guest' OR extra_kind = 'guest_unknown' THEN NULL
                   WHEN extra_kind = 'unknown_contact' THEN 'C9' || lpad(ui(order_num, 'o_unk_c', 0, 9999999)::VARCHAR, 7, '0')
                   WHEN dup_contact_id IS NOT NULL AND {self.u('order_num', 'o_dupid')} < 0.4 THEN dup_contact_id
                   ELSE contact_id END AS contact_id_out,
              CASE WHEN dirt = 'guest' THEN
                     CASE ui(order_num, 'o_gmail', 0, 3)
                       WHEN 0 THEN upper(email_clean) WHEN 1 THEN ' ' || email_clean || ' '
                       WHEN 2 THEN upper(email_clean[1]) || email_clean[2:] ELSE upper(email_clean) || ' ' END
                   WHEN extra_kind = 'guest_unknown' THEN 'guest.' || hexid(order_num)[1:10] || '@'
                        || {_pick(['mailinator.com', 'gmail.com', 'yahoo.com', 'guestmail.net'], self.u('order_num', 'o_gdom'))}
                   WHEN extra_kind = 'unknown_contact' THEN NULL
                   WHEN {self.u('order_num', 'o_email')} < 0.08 THEN NULL
                   ELSE email_clean END AS customer_email,
              {_wcase(self.u('order_num', 'o_nitems'), [('1', 30), ('2', 25), ('3', 20), ('4', 14), ('5', 11)])} AS n_items,
              CASE WHEN {self.u('order_num', 'o_disc')} < 0.6 THEN 0.0 ELSE ui(order_num, 'o_disc_r', 5, 30) / 100.0 END AS disc_rate,
              CASE WHEN {self.u('order_num', 'o_taxfree')} < 0.1 THEN 0.0
                   WHEN currency_clean = 'USD' AND cidx = 1 THEN ui(order_num, 'o_tax', 0, 10) / 100.0
                   ELSE tax_std END AS tax_rate,
              CASE WHEN {self.u('order_num', 'o_ship')} < 0.5 THEN 0.0
                   ELSE round((2.99 + {self.u('order_num', 'o_ship_a')} * 7) * fx, dec) END AS shipping,
              CASE WHEN {self.u('order_num', 'o_ret')} < 0.5 THEN 1.0 ELSE 0.3 + 0.6 * {self.u('order_num', 'o_ret_f')} END AS return_frac,
              {self.u('order_num', 'o_upd')} AS u_upd, {self.u('order_num', 'o_ver')} AS u_ver,
              {self.u('order_num', 'o_case')} AS u_case, {self.u('order_num', 'o_cur')} AS u_cur
            FROM a5""")
        # items (numeric), priced from the catalog in the order's currency
        self.x(f"""
            CREATE TABLE itm AS
            WITH x AS (
              SELECT order_num, dirt, fx, dec, fav_cat, tier_exp, unnest(range(n_items)) AS j FROM ord
            ), y AS (
              SELECT order_num, j, order_num * 10 + j AS item_num, dirt, fx, dec,
                CASE WHEN {self.u('order_num * 10 + j', 'i_fav')} < 0.4 THEN fav_cat
                     ELSE ui(order_num * 10 + j, 'i_cat', 0, 7) END AS cat,
                least(3, floor(4 * pow({self.u('order_num * 10 + j', 'i_tier')}, tier_exp)))::BIGINT AS tier,
                ui(order_num * 10 + j, 'i_q', 0, 124) AS q,
                {_wcase(self.u('order_num * 10 + j', 'i_qty'), [('1', 72), ('2', 18), ('3', 6), ('4', 2), ('5', 1), ('6', 1)])} AS qty
              FROM x
            )
            SELECT y.item_num, y.order_num, y.qty, c.sku_num,
              CASE WHEN y.dirt = 'zero' THEN 0 ELSE round(c.price_usd * y.fx, y.dec) END::DECIMAL(18, 2) AS unit_price
            FROM y JOIN catalog c ON c.sku_num = y.cat + 8 * y.tier + 32 * y.q + 1""")
        self.x("""
            CREATE TABLE ord_tot AS
            SELECT order_num, sum(qty * unit_price)::DECIMAL(18, 2) AS gross FROM itm GROUP BY order_num""")
        self.write_items(t0)
        self.write_orders(time.perf_counter())

    def write_items(self, t0: float) -> None:
        n_items = int(self.scalar("SELECT count(*) FROM itm"))
        m_orph = round(DIRT_RATES["shop_order_items.orphan_order_id"] * n_items)
        total = n_items + m_orph
        m_null = round(DIRT_RATES["shop_order_items.null_id"] * total)
        m_qty = round(DIRT_RATES["shop_order_items.nonpositive_quantity"] * total)
        m_dup = round(DIRT_RATES["shop_order_items.exact_duplicate_rows"] * total)
        b1, b2, b3, b4 = m_null, m_null + m_qty, m_null + m_qty + m_dup, m_null + m_qty + m_dup + m_orph
        proj = _projection(RAW_TABLES["shop_order_items"])
        sql = f"""
            WITH r AS (
              SELECT *, row_number() OVER (ORDER BY hash(item_num, 'i_dirt', {self.seed}::BIGINT), item_num) AS rk FROM itm
            ), base AS (
              SELECT
                CASE WHEN rk <= {b1} THEN NULL ELSE 'OI' || lpad(item_num::VARCHAR, 10, '0') END AS order_item_id,
                'O' || lpad(order_num::VARCHAR, 9, '0') AS order_id,
                c.sku, c.product_name, c.category,
                CASE WHEN rk > {b1} AND rk <= {b2} THEN -ui(item_num, 'i_badq', 0, 1) ELSE qty END AS quantity,
                unit_price, rk, item_num
              FROM r JOIN catalog c USING (sku_num)
            ), rows AS (
              SELECT * EXCLUDE (rk, item_num) FROM base
              UNION ALL SELECT * EXCLUDE (rk, item_num) FROM base WHERE rk > {b2} AND rk <= {b3}
              UNION ALL
              SELECT * EXCLUDE (rk, item_num) REPLACE (
                       'OI' || lpad((9000000000 + rk)::VARCHAR, 10, '0') AS order_item_id,
                       'O9' || lpad(ui(item_num, 'i_orph', 0, 99999999)::VARCHAR, 8, '0') AS order_id)
              FROM base WHERE rk > {b3} AND rk <= {b4}
            )
            SELECT {proj} FROM rows"""
        self.write("shop_order_items", sql, RAW_TABLES["shop_order_items"], t0)

    def write_orders(self, t0: float) -> None:
        day = self.DAY
        cur_variant = f"""CASE ui(order_num, 'o_curv', 0, 3)
              WHEN 0 THEN lower(currency_clean) WHEN 1 THEN ' ' || lower(currency_clean)
              WHEN 2 THEN upper(currency_clean[1]) || lower(currency_clean[2:]) || ' '
              ELSE currency_clean || ' ' END"""

        def cased(expr: str, u: str) -> str:
            return (f"CASE WHEN {u} < 0.70 THEN {expr} WHEN {u} < 0.84 THEN upper({expr}[1]) || {expr}[2:] "
                    f"WHEN {u} < 0.92 THEN upper({expr}) WHEN {u} < 0.96 THEN ' ' || upper({expr}) "
                    f"ELSE upper({expr}[1]) || {expr}[2:] || ' ' END")

        proj = _projection(RAW_TABLES["shop_orders"])
        sql = f"""
            WITH o AS (
              SELECT ord.*, t.gross AS gross0 FROM ord JOIN ord_tot t USING (order_num)
            ), m AS (
              SELECT *,
                round(gross0 * disc_rate, dec)::DECIMAL(18, 2) AS disc,
                CASE status_clean
                  WHEN 'completed' THEN (2 + 8 * u_upd) WHEN 'shipped' THEN (0.5 + 2.5 * u_upd)
                  WHEN 'placed' THEN (0.001 + 0.04 * u_upd) WHEN 'cancelled' THEN (0.1 + 1.9 * u_upd)
                  ELSE (7 + 33 * u_upd) END AS upd_days
              FROM o
            ), f AS (
              SELECT *,
                CASE WHEN dirt = 'future' THEN ordered_us + 60000000
                     ELSE ordered_us + floor(least(upd_days * {day}, ({self.end_us} - ordered_us) * 0.99))::BIGINT END AS updated_us
              FROM m
            ), g AS (
              SELECT
                order_id, contact_id_out AS contact_id, customer_email, ts(ordered_us) AS ordered_at,
                CASE WHEN dirt = 'unknown_status' THEN '{UNKNOWN_STATUS}' ELSE {cased('status_clean', 'u_case')} END AS status,
                CASE WHEN dirt = 'unknown_currency' THEN {_pick(UNKNOWN_CURRENCIES, 'u_cur')}
                     WHEN dirt = 'currency_variant' THEN {cur_variant}
                     ELSE currency_clean END AS currency,
                CASE WHEN dirt = 'negative' THEN -gross0 ELSE gross0 END AS gross_amount,
                disc AS discount_amount,
                round((gross0 - disc) * tax_rate, dec)::DECIMAL(18, 2) AS tax_amount,
                CASE WHEN dirt = 'zero' THEN 0 ELSE shipping END::DECIMAL(18, 2) AS shipping_amount,
                CASE status_clean WHEN 'refunded' THEN gross0 - disc
                                  WHEN 'returned' THEN round((gross0 - disc) * return_frac, dec)
                                  ELSE 0 END::DECIMAL(18, 2) AS refunded_amount,
                channel, ts(updated_us) AS updated_at,
                ts(ordered_us + floor((updated_us - ordered_us) * (0.05 + 0.3 * u_ver))::BIGINT) AS earlier_at,
                dirt, u_case
              FROM f
            ), rows AS (
              SELECT * FROM g
              UNION ALL
              SELECT * REPLACE ({cased("'placed'", 'u_case')} AS status, earlier_at AS updated_at,
                                0::DECIMAL(18, 2) AS refunded_amount)
              FROM g WHERE dirt = 'earlier_version'
              UNION ALL SELECT * FROM g WHERE dirt = 'dup_row'
              UNION ALL SELECT * REPLACE (CASE WHEN u_case < 0.5 THEN NULL ELSE '' END AS order_id)
                FROM g WHERE dirt = 'null_id'
            )
            SELECT {proj} FROM rows"""
        self.write("shop_orders", sql, RAW_TABLES["shop_orders"], t0)

    # -- CRM tables ----------------------------------------------------------------------------

    def crm_accounts(self) -> None:
        t0 = time.perf_counter()
        day = self.DAY
        ind_raw = _lst([r for r, _ in INDUSTRIES])
        self.x(f"""
            CREATE TABLE acct_v AS
            WITH v AS (
              SELECT a.*, unnest(range(n_versions + CASE del_mode WHEN 'deleted' THEN 1 WHEN 'restored' THEN 2 ELSE 0 END)) AS v
              FROM acct a
            ), t AS (
              SELECT v.*, rc.fx AS c_fx, rc.currency AS c_cur, rc.tld, rc.cities, rc.regions, rc.spell,
                created_us + floor((1 + 29 * {self.u('a', 'a_t0')}) * {day})::BIGINT AS t0_us
              FROM v JOIN ref_country rc ON rc.cidx = v.cidx
            )
            SELECT a, v, account_id, w1, w2, suffix, dom_num, dot_com, tld, size_class, ind_i,
              least(emp_max, floor(emp0 * (1 + 0.15 * least(v, n_versions - 1) * (0.2 + 0.8 * {self.u('a', 'a_growth')})))::INTEGER) AS employees,
              rev_per_emp, coalesce(rev_cur_override, c_cur) AS rev_cur,
              CASE WHEN coalesce(rev_cur_override, c_cur) = 'USD' THEN 1.0 ELSE c_fx END AS rev_fx,
              cities, regions, spell, unknown_country,
              list_slice(tool_order, 1, least(8, n_tools + least(v, n_versions - 1))) AS tools, tool_delim, tool_case,
              created_us,
              (t0_us + floor(({self.end_us} - t0_us) *
                CASE WHEN v = 0 THEN 0 ELSE (v + 0.8 * {self.u('a * 8 + v', 'a_tv')}) / (n_versions + 3) END))::BIGINT AS updated_us,
              del_mode = 'deleted' AND v = n_versions OR del_mode = 'restored' AND v = n_versions AS is_deleted
            FROM t""")
        rows = int(self.scalar("SELECT count(*) FROM acct_v"))
        m_null = round(DIRT_RATES["crm_accounts.null_or_empty_id"] * rows)
        m_dup = round(DIRT_RATES["crm_accounts.exact_duplicate_rows"] * (rows + m_null))
        proj = _projection(RAW_TABLES["crm_accounts"])
        sql = f"""
            WITH r AS (
              SELECT *, row_number() OVER (ORDER BY hash(a, v, 'a_rdirt', {self.seed}::BIGINT), a, v) AS rk,
                {self.u('a * 8 + v', 'a_city')} AS ucity
              FROM acct_v
            ), b AS (
              SELECT
                account_id,
                w1 || ' ' || w2 || CASE WHEN suffix = '' THEN '' ELSE ' ' || suffix END AS account_name,
                CASE ui(a * 8 + v, 'a_domfmt', 0, 5)
                  WHEN 0 THEN lower(w1 || w2) || dom_num || '.' || CASE WHEN dot_com THEN 'com' ELSE tld END
                  WHEN 1 THEN 'https://www.' || lower(w1 || w2) || dom_num || '.' || CASE WHEN dot_com THEN 'com' ELSE tld END || '/'
                  WHEN 2 THEN upper(w1 || w2) || dom_num || '.' || upper(CASE WHEN dot_com THEN 'com' ELSE tld END)
                  WHEN 3 THEN 'www.' || lower(w1 || w2) || dom_num || '.' || CASE WHEN dot_com THEN 'com' ELSE tld END
                  WHEN 4 THEN 'http://' || lower(w1 || w2) || dom_num || '.' || CASE WHEN dot_com THEN 'com' ELSE tld END
                  ELSE lower(w1 || w2) || dom_num || '.' || CASE WHEN dot_com THEN 'com' ELSE tld END END AS website_domain,
                CASE WHEN {self.u('a', 'a_indcase')} < 0.08 THEN lower({ind_raw}[ind_i + 1])
                     ELSE {ind_raw}[ind_i + 1] END AS industry,
                employees AS employee_count,
                round(employees * rev_per_emp * rev_fx, -3)::DECIMAL(18, 2) AS annual_revenue,
                CASE WHEN {self.u('a', 'a_curd')} < 0.003 THEN {_pick(UNKNOWN_CURRENCIES, self.u('a', 'a_curu'))}
                     WHEN {self.u('a', 'a_curd')} < 0.023 THEN lower(rev_cur)
                     ELSE rev_cur END AS revenue_currency,
                CASE WHEN unknown_country THEN {_pick(UNKNOWN_COUNTRIES, self.u('a', 'a_unkc'))}
                     ELSE spell[1 + floor({self.u('a * 8 + v', 'a_spell')} * 100)::INTEGER] END AS country,
                string_split(regions[1 + floor(ucity * len(cities))::INTEGER], '|')[
                   1 + floor({self.u('a * 8 + v', 'a_region')}
                             * len(string_split(regions[1 + floor(ucity * len(cities))::INTEGER], '|')))::INTEGER] AS region,
                cities[1 + floor(ucity * len(cities))::INTEGER] AS city,
                replace(array_to_string(list_transform(tools, lambda t:
                    CASE tool_case WHEN 0 THEN t WHEN 1 THEN lower(t) WHEN 2 THEN upper(t)
                         ELSE CASE WHEN hash(a, t) % 2 = 0 THEN lower(t) ELSE t END END), ','), ',', tool_delim)
                  AS technologies,
                ts(created_us) AS created_at, ts(updated_us) AS updated_at, is_deleted, rk
              FROM r
            ), rows AS (
              SELECT * EXCLUDE (rk) FROM b
              UNION ALL SELECT * EXCLUDE (rk) REPLACE (CASE WHEN rk % 2 = 0 THEN '' END AS account_id)
                FROM b WHERE rk <= {m_null}
              UNION ALL SELECT * EXCLUDE (rk) FROM b WHERE rk > {m_null} AND rk <= {m_null + m_dup}
            )
            SELECT {proj} FROM rows"""
        self.write("crm_accounts", sql, RAW_TABLES["crm_accounts"], t0)

    def crm_contacts(self) -> None:
        t0 = time.perf_counter()
        day = self.DAY
        jt = _lst(JOB_TITLES)
        self.x(f"""
            CREATE TABLE con_v AS
            WITH allc AS (
              SELECT k, contact_id, account_id, email_raw, phone, first_name, last_name, jt_i, birth_date, gender,
                country_raw, city, preferred_language, lifecycle_stage, lead_source, marketing_opt_in,
                NULL AS merged_into_contact_id, created_us,
                CASE dirt WHEN 'second' THEN 'second' WHEN 'deleted' THEN 'deleted' WHEN 'restored' THEN 'restored'
                          ELSE 'normal' END AS mode
              FROM con
              UNION ALL
              SELECT k, contact_id, account_id, email_raw, phone, first_name, last_name, jt_i, birth_date, gender,
                country_raw, city, preferred_language, lifecycle_stage, lead_source, marketing_opt_in,
                merged_into_contact_id, created_us, 'normal' AS mode
              FROM dupc
            ), v AS (
              SELECT *, unnest(range(CASE mode WHEN 'normal' THEN 1 WHEN 'restored' THEN 3 ELSE 2 END)) AS v FROM allc
            ), t AS (
              SELECT *, created_us + floor(least(({self.end_us} - created_us) * 0.1,
                                                  (0.01 + 2 * {self.u('k', 'c_t0')}) * {day}))::BIGINT AS t0_us
              FROM v
            )
            SELECT k, v, contact_id, account_id, email_raw AS email, phone, first_name, last_name,
              CASE WHEN jt_i IS NULL THEN NULL
                   WHEN mode = 'second' AND v = 0 THEN {jt}[(jt_i + 1 + ui(k, 'jt_prev', 0, {len(JOB_TITLES) - 2})) % {len(JOB_TITLES)} + 1]
                   ELSE {jt}[jt_i + 1] END AS job_title,
              birth_date, gender, country_raw AS country, city, preferred_language,
              CASE WHEN mode = 'second' AND v = 0 THEN
                     CASE WHEN lifecycle_stage IN ('customer', 'evangelist') THEN
                            CASE WHEN {self.u('k', 'st_prev')} < 0.5 THEN 'opportunity' ELSE 'lead' END
                          WHEN lifecycle_stage = 'subscriber' THEN 'other' ELSE 'subscriber' END
                   ELSE lifecycle_stage END AS lifecycle_stage,
              lead_source, marketing_opt_in, merged_into_contact_id,
              ts(created_us) AS created_at,
              ts(t0_us + floor(({self.end_us} - t0_us) *
                  CASE WHEN v = 0 THEN 0 ELSE (v - 0.2 + 0.7 * {self.u('k * 4 + v', 'c_tv')}) / 3 END)::BIGINT) AS updated_at,
              (mode = 'deleted' AND v = 1) OR (mode = 'restored' AND v = 1) AS is_deleted
            FROM t""")
        rows = int(self.scalar("SELECT count(*) FROM con_v"))
        m_null = round(DIRT_RATES["crm_contacts.null_or_empty_id"] * rows)
        m_dup = round(DIRT_RATES["crm_contacts.exact_duplicate_rows"] * (rows + m_null))
        proj = _projection(RAW_TABLES["crm_contacts"])
        sql = f"""
            WITH b AS (
              SELECT *, row_number() OVER (ORDER BY hash(k, v, 'c_rdirt', {self.seed}::BIGINT), k, v) AS rk FROM con_v
            ), rows AS (
              SELECT * EXCLUDE (rk) FROM b
              UNION ALL SELECT * EXCLUDE (rk) REPLACE (CASE WHEN rk % 2 = 0 THEN '' END AS contact_id)
                FROM b WHERE rk <= {m_null}
              UNION ALL SELECT * EXCLUDE (rk) FROM b WHERE rk > {m_null} AND rk <= {m_null + m_dup}
            )
            SELECT {proj} FROM rows"""
        self.write("crm_contacts", sql, RAW_TABLES["crm_contacts"], t0)

    def crm_nps(self) -> None:
        t0 = time.perf_counter()
        day = self.DAY
        self.x(f"""
            CREATE TABLE nps AS
            WITH x AS (
              SELECT k, contact_id, persona, created_age, act_lo, unnest(range(n_nps)) AS idx FROM con WHERE n_nps > 0
            )
            SELECT row_number() OVER (ORDER BY k, idx) AS rn, k * 4 + idx AS key, contact_id, persona,
              ({self.end_us} - floor((act_lo + {self.u('k * 4 + idx', 'n_age')} * (created_age - act_lo)) * {day}))::BIGINT
                AS responded_us,
              {self.u('k * 4 + idx', 'n_score')} AS us
            FROM x""")
        rows = int(self.scalar("SELECT count(*) FROM nps"))
        m_oor = round(DIRT_RATES["crm_nps_responses.score_out_of_range"] * rows)
        m_nullc = round(DIRT_RATES["crm_nps_responses.null_contact_id"] * rows)
        m_unk = round(DIRT_RATES["crm_nps_responses.unknown_contact_id"] * rows)
        m_dup = round(DIRT_RATES["crm_nps_responses.exact_duplicate_rows"] * rows)
        b1, b2, b3, b4 = m_oor, m_oor + m_nullc, m_oor + m_nullc + m_unk, m_oor + m_nullc + m_unk + m_dup

        def scores(opts: list[tuple[int, float]]) -> str:
            return _wcase("us", [(str(s), w) for s, w in opts])

        score_case = f"""CASE persona
            WHEN 'champion' THEN {scores([(10, 50), (9, 30), (8, 15), (7, 5)])}
            WHEN 'loyal' THEN {scores([(10, 35), (9, 35), (8, 15), (7, 10), (6, 5)])}
            WHEN 'power_user' THEN {scores([(10, 40), (9, 30), (8, 20), (7, 10)])}
            WHEN 'new' THEN {scores([(10, 20), (9, 25), (8, 30), (7, 25)])}
            WHEN 'casual' THEN {scores([(9, 15), (8, 35), (7, 35), (6, 15)])}
            WHEN 'one_time' THEN {scores([(9, 10), (8, 25), (7, 30), (6, 20), (5, 15)])}
            WHEN 'slipping' THEN {scores([(7, 20), (6, 25), (5, 25), (4, 15), (3, 15)])}
            WHEN 'churned' THEN {scores([(6, 15), (5, 15), (4, 20), (3, 20), (2, 15), (1, 10), (0, 5)])}
            ELSE {scores([(8, 25), (7, 35), (6, 25), (5, 15)])} END"""
        proj = _projection(RAW_TABLES["crm_nps_responses"])
        sql = f"""
            WITH r AS (
              SELECT *, row_number() OVER (ORDER BY hash(key, 'n_dirt', {self.seed}::BIGINT), key) AS rk,
                {score_case} AS score0
              FROM nps
            ), b AS (
              SELECT 'R' || lpad(rn::VARCHAR, 8, '0') AS response_id,
                CASE WHEN rk > {b1} AND rk <= {b2} THEN NULL
                     WHEN rk > {b2} AND rk <= {b3} THEN 'C9' || lpad(ui(key, 'n_unk', 0, 9999999)::VARCHAR, 7, '0')
                     ELSE contact_id END AS contact_id,
                CASE WHEN rk <= {b1} THEN [11, -1, 99][1 + floor({self.u('key', 'n_oor')} * 3)::INTEGER] ELSE score0 END AS score,
                ts(responded_us) AS responded_at,
                CASE WHEN {self.u('key', 'n_has_c')} >= 0.45 THEN NULL
                     WHEN score0 >= 9 THEN {_pick(_NPS_POSITIVE, self.u('key', 'n_c'))}
                     WHEN score0 >= 7 THEN {_pick(_NPS_NEUTRAL, self.u('key', 'n_c'))}
                     ELSE {_pick(_NPS_NEGATIVE, self.u('key', 'n_c'))} END AS comment,
                rk
              FROM r
            ), rows AS (
              SELECT * EXCLUDE (rk) FROM b
              UNION ALL SELECT * EXCLUDE (rk) FROM b WHERE rk > {b3} AND rk <= {b4}
            )
            SELECT {proj} FROM rows"""
        self.write("crm_nps_responses", sql, RAW_TABLES["crm_nps_responses"], t0)

    # -- app events ---------------------------------------------------------------------------

    def events(self) -> None:
        t0 = time.perf_counter()
        day = self.DAY
        sec = 1_000_000
        device_os = f"""CASE device
              WHEN 'desktop' THEN {_wcase('uos', [("'Windows'", 60), ("'macOS'", 32), ("'Linux'", 8)])}
              WHEN 'mobile' THEN {_wcase('uos', [("'iOS'", 50), ("'Android'", 50)])}
              ELSE {_wcase('uos', [("'iOS'", 65), ("'Android'", 35)])} END"""
        os_browser = f"""CASE os
              WHEN 'Windows' THEN {_wcase('ubr', [("'Chrome'", 62), ("'Edge'", 25), ("'Firefox'", 13)])}
              WHEN 'macOS' THEN {_wcase('ubr', [("'Safari'", 45), ("'Chrome'", 45), ("'Firefox'", 10)])}
              WHEN 'Linux' THEN {_wcase('ubr', [("'Chrome'", 55), ("'Firefox'", 45)])}
              WHEN 'iOS' THEN {_wcase('ubr', [("'Safari'", 80), ("'Chrome'", 20)])}
              ELSE {_wcase('ubr', [("'Chrome'", 90), ("'Firefox'", 10)])} END"""
        other_device = f"{_lst(['mobile', 'desktop', 'tablet'])}[1 + floor({{u}} * 3)::INTEGER]"
        # contact sessions: pre-signup anonymous visits, then signed-in browsing sessions
        self.x(f"""
            CREATE TABLE ses_c AS
            WITH s AS (
              SELECT k, contact_id, dup_contact_id, persona, cidx, primary_device, created_age, act_lo, act_hi, act_gamma,
                     n_anon, n_browse, fav_cat, unnest(range(n_anon + n_browse)) AS j
              FROM con WHERE n_anon + n_browse > 0
            ), t AS (
              SELECT *, k * 4096 + j AS skey,
                ({self.u('k * 4096 + j', 's_f')} + (j - n_anon)) / n_browse AS f
              FROM s
            )
            SELECT skey, 'browse' AS kind, k, persona, cidx, fav_cat,
              CASE WHEN j < n_anon THEN NULL
                   WHEN dup_contact_id IS NOT NULL AND {self.u('skey', 's_dupid')} < 0.4 THEN dup_contact_id
                   ELSE contact_id END AS user_id,
              k AS anon_key,
              ({self.end_us} - floor(CASE
                  WHEN j < n_anon THEN created_age + 0.05 + {self.u('skey', 's_pre')} * 13.9
                  WHEN persona = 'power_user' THEN
                    CASE WHEN f < 0.4 THEN 30 + (act_hi - 30) * (1 - f / 0.4) ELSE 30 * (1 - f) / 0.6 END
                  ELSE act_lo + (act_hi - act_lo) * pow(1 - f, act_gamma) END * {day}))::BIGINT AS start_us,
              CASE WHEN persona = 'dormant_lead' THEN ui(skey, 's_nev', 1, 5)
                   WHEN j < n_anon THEN ui(skey, 's_nev', 2, 6)
                   WHEN persona = 'power_user' THEN ui(skey, 's_nev', 4, 9)
                   ELSE ui(skey, 's_nev', 2, 8) END AS n_ev,
              CASE WHEN {self.u('skey', 's_dev')} < 0.75 THEN primary_device
                   ELSE {other_device.format(u=self.u('skey', 's_dev2'))} END AS device,
              NULL::VARCHAR AS order_id, NULL::DECIMAL(18, 2) AS revenue, NULL::VARCHAR AS currency
            FROM t""")
        self.x(f"""
            INSERT INTO ses_c
            SELECT (1::BIGINT << 40) + o.order_num AS skey, 'purchase' AS kind, o.k, o.persona, c.cidx, c.fav_cat,
              o.contact_id_out AS user_id, o.k AS anon_key,
              o.ordered_us AS start_us,  -- end of the session; shifted back below
              ui(o.order_num, 's_pnev', 3, 5) AS n_ev,
              CASE WHEN o.channel = 'mobile_app' THEN CASE WHEN {self.u('o.order_num', 's_tab')} < 0.15 THEN 'tablet' ELSE 'mobile' END
                   WHEN {self.u('o.order_num', 's_pdev')} < 0.8 THEN c.primary_device
                   ELSE {other_device.format(u=self.u('o.order_num', 's_pdev2'))} END AS device,
              o.order_id, t.gross AS revenue, o.currency_clean AS currency
            FROM ord o JOIN con c ON c.k = o.k JOIN ord_tot t ON t.order_num = o.order_num
            WHERE o.channel IN ('web', 'mobile_app') AND o.extra_kind = '' AND o.dirt <> 'future'
              AND {self.u('o.order_num', 's_tracked')} < 0.8  -- tracking blocked / no consent for the rest""")
        contact_events = int(self.scalar("SELECT sum(n_ev) FROM ses_c"))
        # OS and browser are stable per (contact, device); visitors and bots per session
        dev_key = "coalesce(k, skey) * 4 + CASE device WHEN 'mobile' THEN 1 WHEN 'tablet' THEN 2 ELSE 3 END"
        bot_rate = DIRT_RATES["app_events.bot_traffic"]
        total = contact_events / (1 - ANONYMOUS_VISITOR_SHARE - bot_rate)
        n_visitors = max(1, round(total * ANONYMOUS_VISITOR_SHARE / (1.45 * 5.0)))
        n_bots = max(1, round(total * bot_rate / 25.0))
        h = self.h_days
        self.x(f"""
            CREATE TABLE ses AS
            WITH ses_v AS (
              SELECT v, {_wcase(self.u('v', 'v_ns'), [('1', 65), ('2', 25), ('3', 10)])} AS ns,
                     {self.country_case(self.u('v', 'v_cty'))} AS cidx,
                     {_wcase(self.u('v', 'v_dev'), [("'mobile'", 55), ("'desktop'", 38), ("'tablet'", 7)])} AS device,
                     {h - 1} * pow({self.u('v', 'v_age')}, 1.4) AS age0
              FROM range(1, {n_visitors} + 1) AS t(v)
            ), vis AS (
              SELECT (2::BIGINT << 40) + v * 4 + j AS skey, 'anonymous' AS kind, NULL::BIGINT AS k, 'none' AS persona,
                cidx, ui(v * 4 + j, 'v_cat', 0, 7) AS fav_cat, NULL::VARCHAR AS user_id, (1::BIGINT << 40) + v AS anon_key,
                ({self.end_us} - floor(greatest(0.0001, age0 - j * 2 * {self.u('v * 4 + j', 'v_gap')}) * {day}))::BIGINT AS start_us,
                ui(v * 4 + j, 'v_nev', 2, 8) AS n_ev, device,
                NULL::VARCHAR AS order_id, NULL::DECIMAL(18, 2) AS revenue, NULL::VARCHAR AS currency
              FROM (SELECT *, unnest(range(ns)) AS j FROM ses_v)
            ), bots AS (
              SELECT (3::BIGINT << 40) + b AS skey, 'bot' AS kind, NULL::BIGINT AS k, 'none' AS persona,
                {_wcase(self.u('b', 'b_cty'), [('1', 70), ('3', 10), ('2', 10), ('29', 10)])} AS cidx, 0 AS fav_cat,
                NULL::VARCHAR AS user_id, (2::BIGINT << 40) + b AS anon_key,
                ({self.end_us} - floor({self.u('b', 'b_age')} * {h - 1} * {day}))::BIGINT AS start_us,
                ui(b, 'b_nev', 10, 40) AS n_ev, 'desktop' AS device,
                NULL::VARCHAR AS order_id, NULL::DECIMAL(18, 2) AS revenue, NULL::VARCHAR AS currency
              FROM range(1, {n_bots} + 1) AS t(b)
            ), allses AS (
              SELECT * FROM ses_c UNION ALL SELECT * FROM vis UNION ALL SELECT * FROM bots
            ), d AS (
              SELECT *, {self.u(dev_key, 's_os')} AS uos, {self.u(dev_key, 's_br')} AS ubr
              FROM allses
            ), e AS (
              SELECT *, {device_os} AS os,
                CASE WHEN kind = 'bot' THEN 0.2 + 1.8 * {self.u('skey', 's_gap')}
                     ELSE 4 + 116 * {self.u('skey', 's_gap')} END AS gap_s
              FROM d
            )
            SELECT e.skey, e.kind, e.k, e.persona, e.fav_cat, e.user_id, e.n_ev, e.order_id, e.revenue, e.currency,
              CASE WHEN e.kind = 'bot' THEN 'desktop' ELSE e.device END AS device,
              CASE WHEN e.kind = 'bot' THEN 'Linux' ELSE e.os END AS os,
              CASE WHEN e.kind = 'bot' THEN {_pick(_BOT_BROWSERS, self.u('e.skey', 'b_br'))} ELSE {os_browser} END AS browser,
              'anon_' || hexid(e.anon_key) AS anonymous_id,
              'ses_' || hexid(e.skey) AS session_id,
              e.gap_s,
              -- purchase sessions end at ordered_at; every other session ends before end_date is over
              CASE WHEN e.kind = 'purchase' THEN e.start_us
                   ELSE least(e.start_us, {self.end_us} - floor((e.n_ev + 1) * e.gap_s * 1000000)::BIGINT - 10000000)
              END AS start_us,
              {self.u('e.skey', 's_unk')} AS u_unk,
              CASE WHEN {self.u('e.skey', 's_travel')} < 0.05 THEN {self.country_case(self.u('e.skey', 's_tcty'))} ELSE e.cidx END AS cidx,
              e.kind <> 'bot' AND {self.u('e.skey', 's_utm')} < CASE e.kind WHEN 'purchase' THEN 0.2 ELSE 0.3 END AS has_utm,
              ui(e.skey, 's_utm_i', 1, {len(_UTMS)}) AS utm_i,
              {_pick(_REFERRERS, self.u('e.skey', 's_ref'))} AS referrer0
            FROM e""")
        self.x("DROP TABLE ses_c")
        # events
        late = DIRT_RATES["app_events.late_arrival"]
        clock = DIRT_RATES["app_events.clock_ahead"]
        names = f"""CASE
            WHEN kind = 'bot' THEN CASE WHEN ue < 0.7 THEN 'page_viewed' ELSE 'product_viewed' END
            WHEN kind = 'purchase' THEN
              CASE WHEN e = n_ev - 1 THEN 'order_completed' WHEN e = n_ev - 2 THEN 'checkout_started'
                   WHEN e = n_ev - 3 THEN 'product_added_to_cart' WHEN e = 0 AND ue < 0.5 THEN 'page_viewed'
                   ELSE 'product_viewed' END
            WHEN e = 0 THEN 'page_viewed'
            WHEN e = 1 AND user_id IS NOT NULL AND ue < 0.6 THEN 'signed_in'
            WHEN persona = 'power_user' THEN {_wcase('ue2', [("'feature_used'", 45), ("'page_viewed'", 15), ("'product_viewed'", 15),
                                                             ("'search_performed'", 10), ("'product_added_to_cart'", 10),
                                                             ("'checkout_started'", 5)])}
            WHEN kind = 'anonymous' THEN {_wcase('ue2', [("'product_viewed'", 45), ("'page_viewed'", 30), ("'search_performed'", 20),
                                                        ("'product_added_to_cart'", 5)])}
            ELSE {_wcase('ue2', [("'product_viewed'", 38), ("'page_viewed'", 22), ("'search_performed'", 18),
                                 ("'product_added_to_cart'", 12), ("'feature_used'", 5), ("'checkout_started'", 5)])} END"""
        utm_src, utm_med, utm_cmp = (_lst([t[i] for t in _UTMS]) for i in range(3))
        proj = _projection(RAW_TABLES["app_events"])
        sql = f"""
            WITH x AS (
              SELECT s.*, unnest(range(s.n_ev)) AS e FROM ses s
            ), y AS (
              SELECT *, skey * 64 + e AS ekey,
                {self.u('skey * 64 + e', 'e_name')} AS ue, {self.u('skey * 64 + e', 'e_name2')} AS ue2,
                {self.u('skey * 64 + e', 'e_t')} AS ut, {self.u('skey * 64 + e', 'e_rx')} AS urx,
                {self.u('skey * 64 + e', 'e_rx2')} AS urx2, {self.u('skey * 64 + e', 'e_misc')} AS um
              FROM x
            ), z AS (
              SELECT *, {names} AS event_name,
                CASE WHEN kind = 'purchase'
                     THEN start_us - floor((n_ev - 1 - e) * gap_s * {sec})::BIGINT
                          + CASE WHEN e > 0 AND e < n_ev - 1 THEN floor(0.8 * ut * gap_s * {sec})::BIGINT ELSE 0 END
                     ELSE start_us + floor((e + CASE WHEN e > 0 THEN 0.8 * ut ELSE 0 END) * gap_s * {sec})::BIGINT END AS true_us
              FROM y
            ), w AS (
              SELECT *,
                ({self.end_us} - true_us) / {day} AS remaining_days,
                ui(ekey, 'e_sku_q', 0, 124) AS sku_q
              FROM z
            ), v AS (
              SELECT w.*,
                CASE WHEN urx < {late} AND remaining_days > 1.01
                       THEN true_us + floor((1 + urx2 * (least(10, remaining_days) - 1.001)) * {day})::BIGINT
                     ELSE true_us + floor((0.05 + 2.95 * urx2) * {sec})::BIGINT END AS received_us,
                CASE WHEN urx >= {late} AND urx < {late + clock} AND remaining_days > 0.1
                       THEN true_us + floor((0.09 + urx2 * (least(3, remaining_days) - 0.09)) * {day})::BIGINT
                     ELSE true_us END AS occurred_us,
                c.sku, c.category, c.price_usd
              FROM w LEFT JOIN catalog c
                ON event_name IN ('product_viewed', 'product_added_to_cart')
               AND c.sku_num = (CASE WHEN um < 0.5 THEN fav_cat ELSE floor(um * 16)::BIGINT % 8 END) + 8 * (sku_q % 4) + 32 * sku_q + 1
            ), p AS (
              SELECT *,
                CASE event_name
                  WHEN 'product_viewed' THEN '/products/' || lower(sku)
                  WHEN 'product_added_to_cart' THEN '/cart'
                  WHEN 'checkout_started' THEN '/checkout'
                  WHEN 'order_completed' THEN '/checkout/confirmation'
                  WHEN 'signed_in' THEN '/login'
                  WHEN 'feature_used' THEN '/app/' || {_pick(FEATURES, 'um')}
                  WHEN 'search_performed' THEN '/search?q=' || replace({_pick(_SEARCHES, 'um')}, ' ', '+')
                  ELSE {_pick(_PAGE_PATHS, 'um')} END AS path,
                CASE event_name
                  WHEN 'product_viewed' THEN '{{"sku":"' || sku || '","category":"' || category || '","price":' || price_usd::VARCHAR || '}}'
                  WHEN 'product_added_to_cart' THEN '{{"sku":"' || sku || '","category":"' || category || '","price":'
                       || price_usd::VARCHAR || ',"quantity":' || (1 + floor(ut * 2))::INTEGER::VARCHAR || '}}'
                  WHEN 'checkout_started' THEN '{{"cart_items":' || (1 + floor(um * 5))::INTEGER::VARCHAR || '}}'
                  WHEN 'order_completed' THEN '{{"order_id":"' || order_id || '","revenue":' || revenue::VARCHAR
                       || ',"currency":"' || currency || '"}}'
                  WHEN 'signed_in' THEN '{{"method":"' || {_pick(['password', 'google', 'magic_link', 'apple'], 'um')} || '"}}'
                  WHEN 'feature_used' THEN '{{"feature":"' || {_pick(FEATURES, 'um')} || '"}}'
                  WHEN 'search_performed' THEN '{{"query":"' || {_pick(_SEARCHES, 'um')} || '","results":'
                       || floor(ut * 60)::INTEGER::VARCHAR || '}}'
                  ELSE '{{"path":"' || {_pick(_PAGE_PATHS, 'um')} || '"}}' END AS props0
              FROM v
            ), q AS (
              SELECT p.*,
                CASE WHEN {self.u('ekey', 'e_null')} < {DIRT_RATES['app_events.null_event_id']} THEN NULL
                     ELSE 'evt_' || hexid(ekey) END AS event_id,
                CASE WHEN {self.u('ekey', 'e_bad')} < {DIRT_RATES['app_events.malformed_json']}
                     THEN {_pick(_MALFORMED_JSON, self.u('ekey', 'e_badv'))} ELSE props0 END AS properties,
                CASE WHEN e = 0 AND has_utm THEN {utm_src}[utm_i] END AS utm_source,
                CASE WHEN e = 0 AND has_utm THEN {utm_med}[utm_i] END AS utm_medium,
                CASE WHEN e = 0 AND has_utm THEN {utm_cmp}[utm_i] || CASE WHEN utm_i = {len(_UTMS)} THEN '_' || year(ts(true_us))::VARCHAR ELSE '' END END
                  AS utm_campaign,
                CASE WHEN e = 0 THEN referrer0 ELSE 'https://shop.example.com/' END AS referrer,
                {self.country_text(f"u_unk < {DIRT_RATES['app_events.unknown_country']!r}", self.u('skey', 's_unkv'),
                                   self.u('skey', 's_spell'))} AS ip_country,
                {self.u('ekey', 'e_dup')} < {DIRT_RATES['app_events.duplicate_event_id']} AS is_dup
              FROM p JOIN ref_country rc ON rc.cidx = p.cidx
            ), r AS (
              SELECT *, unnest(CASE WHEN is_dup THEN [0, 1] ELSE [0] END) AS cp FROM q
            )
            SELECT {proj} FROM (
              SELECT event_id, anonymous_id, user_id, session_id, event_name,
                ts_ms(occurred_us) AS occurred_at,
                ts_ms(CASE WHEN cp = 0 THEN received_us
                        ELSE least(received_us + floor((1 + 299 * {self.u('ekey', 'e_dupt')}) * {sec})::BIGINT,
                                   greatest(received_us + 1, {self.end_us} - 1)) END) AS received_at,
                'https://shop.example.com' || path AS page_url, referrer, utm_source, utm_medium, utm_campaign,
                device AS device_type, browser, os, ip_country, properties
              FROM r)"""
        self.write("app_events", sql, RAW_TABLES["app_events"], t0)

    # -- ground truth ---------------------------------------------------------------------------

    def ground_truth(self) -> None:
        t0 = time.perf_counter()
        proj = _projection(TRUTH_TABLES["contact_personas"])
        sql = f"""
            SELECT {proj} FROM (
              SELECT contact_id, persona, account_id, is_b2b FROM con
              UNION ALL SELECT contact_id, persona, account_id, is_b2b FROM dupc)"""
        self.write("ground_truth__contact_personas", sql, TRUTH_TABLES["contact_personas"], t0)
        t0 = time.perf_counter()
        groups = _lst([g for _, g in INDUSTRIES])
        proj = _projection(TRUTH_TABLES["account_profiles"])
        sql = f"""
            SELECT {proj} FROM (
              SELECT account_id, size_class, {groups}[ind_i + 1] AS industry_group FROM acct)"""
        self.write("ground_truth__account_profiles", sql, TRUTH_TABLES["account_profiles"], t0)

    # -- run -----------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        started = time.perf_counter()
        self._say(f"generating demo data: contacts={self.n:,} seed={self.seed} "
                  f"history {self.start_date} .. {self.end_date} -> {self.out}")
        self.open()
        try:
            self.reference()
            self.accounts()
            self.contacts()
            self.crm_accounts()
            self.crm_contacts()
            self.crm_nps()
            self.orders()
            self.events()
            self.ground_truth()
        finally:
            self.close()
        order = [*RAW_TABLES, *(f"ground_truth__{t}" for t in TRUTH_TABLES)]
        manifest: dict[str, Any] = {
            "generator_version": GENERATOR_VERSION,
            "contacts": self.n,
            "seed": self.seed,
            "end_date": self.end_date.isoformat(),
            "history_start": self.start_date.isoformat(),
            "duckdb_version": duckdb.__version__,
            "checksum": "sum of DuckDB hash(row) over all rows of the written file, modulo 2**64, hex",
            "tables": {name: self.manifest_tables[name] for name in order},
            "dirt_rates": dict(DIRT_RATES),
        }
        (self.out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                                encoding="utf-8")
        self._say(f"done in {time.perf_counter() - started:.1f}s")
        return manifest


def generate(out_dir: pathlib.Path, contacts: int = 20_000, seed: int = 42,
             end_date: dt.date = dt.date(2026, 10, 31),
             progress: Callable[[str], None] | None = print) -> dict[str, Any]:
    """Write the demo raw tables, the ground truth and ``manifest.json`` to ``out_dir``.

    Deterministic: the same ``(contacts, seed, end_date)`` gives the same content checksums.
    Returns the manifest (also written to ``out_dir/manifest.json``).
    """
    return _Gen(pathlib.Path(out_dir), contacts, seed, end_date, progress).run()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the deterministic demo raw data as Parquet.")
    parser.add_argument("out_dir", type=pathlib.Path)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=dt.date.fromisoformat, default=dt.date(2026, 10, 31))
    args = parser.parse_args(argv)
    generate(args.out_dir, args.contacts, args.seed, args.end_date)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
