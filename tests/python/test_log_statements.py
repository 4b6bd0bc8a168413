"""custseg.log_statements pairs each statement of a dbt debug log with its thread's status line
and sorts it by kind (the numbers it prints are only as good as that pairing)."""

from custseg.log_statements import statement_kind, statements

LOG = """\
\x1b[0m10:00:01.000000 [debug] [Thread-1 (worker)]: On model.p.dim_a: /* {"app": "dbt"} */
  create table "w"."marts"."dim_a__dbt_tmp" as (select 1)
\x1b[0m10:00:01.100000 [debug] [Thread-2 (worker)]: On model.p.dim_b: COMMIT
\x1b[0m10:00:01.200000 [debug] [Thread-2 (worker)]: SQL status: OK in 0.400 seconds
\x1b[0m10:00:04.000000 [debug] [Thread-1 (worker)]: SQL status: OK in 3.000 seconds
\x1b[0m10:00:04.100000 [debug] [Thread-1 (worker)]: On model.p.dim_a: /* {"app": "dbt"} */

      drop table if exists "w"."marts"."dim_a__dbt_backup" cascade

\x1b[0m10:00:09.100000 [debug] [Thread-1 (worker)]: SQL status: OK in 5.000 seconds
\x1b[0m10:00:09.200000 [debug] [MainThread]: On master: /* {"app": "dbt"} */
checkpoint
\x1b[0m10:00:11.200000 [debug] [MainThread]: SQL status: OK in 2.000 seconds
\x1b[0m11:00:00.000000 [debug] [Thread-1 (worker)]: On model.p.dim_c: COMMIT
\x1b[0m11:00:01.000000 [debug] [Thread-1 (worker)]: SQL status: OK in 1.000 seconds
"""


def test_statements_pair_with_their_thread_and_window():
    found = statements(LOG.splitlines(), "10:00:00", "10:59:59")
    assert sorted((node, kind, seconds) for seconds, _, node, kind in found) == [
        ("dim_a", "drop backup", 5.0), ("dim_a", "query", 3.0), ("dim_b", "commit", 0.4),
        ("master", "checkpoint", 2.0)]


def test_statement_kinds():
    assert statement_kind('alter table "w"."m"."x__dbt_tmp" rename to "x"') == "rename"
    assert statement_kind("delete from t where id in (select id from n)") == "query"
    assert statement_kind(
        "delete from t where (id) in (select (id) from n);\n\n insert into t (id) (select id from n)"
    ) == "delete+insert"
    assert statement_kind("COMMIT") == "commit"
    assert statement_kind("checkpoint") == "checkpoint"
    assert statement_kind("show tables") == "other"
