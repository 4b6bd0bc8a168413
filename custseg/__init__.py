"""Tooling for the customer_segmentation dbt project that is not dbt itself.

Subcommands (``python -m custseg --help``): generate demo raw data, load it into the
warehouse, run dbt and print a build summary.
"""

__version__ = "0.1.0"
