//! One column list per table. [`columns!`] names, once, the columns behind a record's
//! client-written fields (each column is named as its field) and the columns derived from
//! them; the rest follows from that list: the INSERT, UPDATE and SELECT text of both
//! backends, the order values are bound in, the bulk insert's head and rows per statement,
//! and the search index's version.
//!
//! The list rebuilds the fields struct from the names it lists, so a field added to the
//! struct but not to the list (or the other way round) does not compile.

use sqlx::postgres::PgArguments;
use sqlx::query::QueryAs;
use sqlx::sqlite::SqliteArguments;
use sqlx::{AssertSqlSafe, Encode, Postgres, Sqlite, Type};
use std::fmt::Display;
use std::sync::{Arc, LazyLock};

/// A value either backend can bind.
pub trait Value: for<'t> Encode<'t, Sqlite> + Type<Sqlite> + for<'t> Encode<'t, Postgres> + Type<Postgres> {}

impl<T> Value for T where T: for<'t> Encode<'t, Sqlite> + Type<Sqlite> + for<'t> Encode<'t, Postgres> + Type<Postgres> {}

/// Where a row's values go: a query's parameters, or one row of a bulk `VALUES` list.
pub trait Binds<'q>: Sized {
    fn bind_value<T: Value + 'q>(self, value: T) -> Self;
}

/// The same binding on both backends, for queries and for rows of a bulk statement.
macro_rules! binds_on {
    ($($db:ty => $arguments:ty),+) => {$(
        impl<'q, O> Binds<'q> for QueryAs<'q, $db, O, $arguments> {
            fn bind_value<T: Value + 'q>(self, value: T) -> Self {
                self.bind(value)
            }
        }

        impl<'q, Sep: Display> Binds<'q> for sqlx::query_builder::Separated<'_, $db, Sep> {
            fn bind_value<T: Value + 'q>(mut self, value: T) -> Self {
                self.push_bind(value);
                self
            }
        }
    )+};
}
binds_on!(Sqlite => SqliteArguments, Postgres => PgArguments);

/// The columns behind a record's fields, declared with [`columns!`]. A record is its
/// fields with an `id`, an `organization_id` and the `created_at`/`updated_at` times.
pub trait Columns: Sized {
    /// The table the records live in.
    const TABLE: &'static str;
    /// The fields' columns: written, and read back into the fields.
    const FIELDS: &'static [&'static str];
    /// Columns computed from the fields when written, never read back (e.g. a rank to
    /// compare by).
    const DERIVED: &'static [&'static str];
    /// Columns read back but never written by a client: each an SQL expression over the
    /// row, in which `{row}` stands for the row's table or alias and a dot (a column
    /// the service keeps, like a posting's `filled`, or a value computed from other tables).
    const READ: &'static [(&'static str, &'static str)] = &[];
    /// Values bound per written row: the organisation, then the fields and derived columns.
    const BINDS: usize = 1 + Self::FIELDS.len() + Self::DERIVED.len();

    /// Bind the fields, then the derived columns, in list order.
    fn bind<'q, B: Binds<'q>>(&'q self, to: B) -> B;
    /// [`Columns::bind`], moving the values instead of copying them (for bulk inserts).
    fn bind_owned<'q, B: Binds<'q>>(self, to: B) -> B;
}

/// Declare a table's column list:
///
/// ```ignore
/// columns! {
///     table: "postings",
///     record: Posting,
///     fields: PostingFields { project_id, title, /* … */ status },
///     derived: { education_min_rank = education_min.rank() },
/// }
/// ```
///
/// Derived values are expressions of the fields (by reference or by value).
macro_rules! columns {
    (
        table: $table:literal,
        record: $record:ident,
        fields: $fields:ident { $($field:ident),+ $(,)? },
        derived: { $($derived:ident = $value:expr),* $(,)? }
        $(, read: { $($read:ident = $sql:literal),* $(,)? })? $(,)?
    ) => {
        // The SQL reads a record as its id, organisation, fields and two times, and writes
        // the fields the list names: rebuilding both from those names does not compile
        // when a field is missing from the list (or the list names one the type lacks).
        const _: fn($record) -> $record = |r| $record {
            id: r.id,
            organization_id: r.organization_id,
            fields: r.fields,
            $($($read: r.$read,)*)?
            created_at: r.created_at,
            updated_at: r.updated_at,
        };
        const _: fn($fields) -> $fields = |f| $fields { $($field: f.$field),+ };

        impl $crate::store::columns::Columns for $fields {
            const TABLE: &'static str = $table;
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),+];
            const DERIVED: &'static [&'static str] = &[$(stringify!($derived)),*];
            const READ: &'static [(&'static str, &'static str)] = &[$($((stringify!($read), $sql)),*)?];

            fn bind<'q, B: $crate::store::columns::Binds<'q>>(&'q self, to: B) -> B {
                $(let $field = &self.$field;)+
                $(let $derived = $value;)*
                $(let to = to.bind_value($field);)+
                $(let to = to.bind_value($derived);)*
                to
            }

            fn bind_owned<'q, B: $crate::store::columns::Binds<'q>>(self, to: B) -> B {
                $(let $field = self.$field;)+
                // Derived values first, while the fields they come from are still here.
                $(let $derived = $value;)*
                $(let to = to.bind_value($field);)+
                $(let to = to.bind_value($derived);)*
                to
            }
        }
    };
}
pub(crate) use columns;

/// SQL text built once, from column lists only (no input ever reaches it).
pub struct Sql(LazyLock<Arc<str>>);

impl Sql {
    pub const fn new(build: fn() -> Arc<str>) -> Sql {
        Sql(LazyLock::new(build))
    }

    pub fn get(&self) -> AssertSqlSafe<Arc<str>> {
        AssertSqlSafe(Arc::clone(&self.0))
    }
}

/// A record's columns, each after `prefix` (a table alias and a dot, or nothing), then
/// its read-only ones.
pub fn record<C: Columns>(prefix: &str) -> String {
    let row = if prefix.is_empty() { format!("{}.", C::TABLE) } else { prefix.to_string() };
    ["id", "organization_id"]
        .iter()
        .chain(C::FIELDS)
        .chain(&["created_at", "updated_at"])
        .map(|column| format!("{prefix}{column}"))
        .chain(C::READ.iter().map(|(name, sql)| format!("{} AS {name}", sql.replace("{row}", &row))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The columns written after the organisation: the fields, then the derived ones.
fn written<C: Columns>() -> impl Iterator<Item = &'static str> {
    C::FIELDS.iter().chain(C::DERIVED).copied()
}

/// `INSERT INTO table (organization_id, …, created_at, updated_at)`: the head of a bulk
/// insert, whose rows bind [`Columns::BINDS`] values and the two times.
pub fn insert_head<C: Columns>() -> String {
    let columns: Vec<_> = written::<C>().collect();
    format!("INSERT INTO {} (organization_id, {}, created_at, updated_at)", C::TABLE, columns.join(", "))
}

/// Insert one record: `$1` the organisation, then [`Columns::bind`]'s values, then the
/// time (created and updated); returns the record.
pub fn insert<C: Columns>() -> Arc<str> {
    let values: Vec<_> = (1..=C::BINDS).map(|n| format!("${n}")).collect();
    let now = C::BINDS + 1;
    format!("{} VALUES ({}, ${now}, ${now}) RETURNING {}", insert_head::<C>(), values.join(", "), record::<C>(""))
        .into()
}

/// Update one record: `$1` its id, then [`Columns::bind`]'s values, then the time;
/// returns the record.
pub fn update<C: Columns>() -> Arc<str> {
    let set: Vec<_> = written::<C>().zip(2..).map(|(column, n)| format!("{column} = ${n}")).collect();
    let now = C::BINDS + 1;
    format!(
        "UPDATE {} SET {}, updated_at = ${now} WHERE id = $1 RETURNING {}",
        C::TABLE,
        set.join(", "),
        record::<C>("")
    )
    .into()
}

/// Read one record by id (`$1`).
pub fn select_by_id<C: Columns>() -> Arc<str> {
    format!("SELECT {} FROM {} WHERE id = $1", record::<C>(""), C::TABLE).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    /// Only its shape matters.
    #[allow(dead_code)]
    struct Item {
        id: i64,
        organization_id: i64,
        fields: ItemFields,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    }

    struct ItemFields {
        name: String,
        size: Option<i64>,
    }

    columns! {
        table: "items",
        record: Item,
        fields: ItemFields { name, size },
        derived: { size_rank = size.unwrap_or(0) / 10 },
    }

    #[test]
    fn statements_follow_the_list() {
        assert_eq!(ItemFields::BINDS, 4);
        assert_eq!(record::<ItemFields>("i."), "i.id, i.organization_id, i.name, i.size, i.created_at, i.updated_at");
        assert_eq!(
            &*insert::<ItemFields>(),
            "INSERT INTO items (organization_id, name, size, size_rank, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id, organization_id, name, size, created_at, updated_at"
        );
        assert_eq!(
            &*update::<ItemFields>(),
            "UPDATE items SET name = $2, size = $3, size_rank = $4, updated_at = $5 WHERE id = $1 \
             RETURNING id, organization_id, name, size, created_at, updated_at"
        );
        assert_eq!(
            &*select_by_id::<ItemFields>(),
            "SELECT id, organization_id, name, size, created_at, updated_at FROM items WHERE id = $1"
        );
    }

    #[tokio::test]
    async fn values_are_bound_in_list_order() {
        let db = crate::store::Db::connect("sqlite::memory:").await.unwrap();
        let mut conn = db.read().await.unwrap();
        let item = ItemFields { name: "焊工".into(), size: Some(42) };
        let sql = "SELECT $1 || '|' || $2 || '|' || $3 || '|' || $4";
        let bound: String = crate::on_backend!(&mut conn, |e| {
            let query = item.bind(sqlx::query_as::<_, (String,)>(sql).bind(7_i64));
            query.fetch_one(e).await.map(|(text,)| text)
        })
        .unwrap();
        assert_eq!(bound, "7|焊工|42|4");
    }
}
