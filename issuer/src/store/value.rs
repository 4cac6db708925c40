//! How values cross between Rust and either engine: [`Param`]s bound to statements and
//! [`Column`]s read from rows, for SQLite (rusqlite's values) and PostgreSQL (converted to the
//! type the server expects for each placeholder, and read by the column's type).

use anyhow::{Result, anyhow, bail};
use postgres::types::{IsNull, ToSql, Type};

use super::conn::{Column, Param, Value};

/// A value bound for SQLite.
pub(super) struct LiteParam<'a, 'v>(pub(super) &'a Value<'v>);

impl rusqlite::ToSql for LiteParam<'_, '_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self.0 {
            Value::Null => ValueRef::Null,
            Value::Int(n) => ValueRef::Integer(n),
            Value::Real(x) => ValueRef::Real(x),
            Value::Text(text) => ValueRef::Text(text.as_bytes()),
            Value::Blob(bytes) => ValueRef::Blob(bytes),
        }))
    }
}

pub(super) fn lite_value(value: rusqlite::types::ValueRef<'_>) -> Value<'_> {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::Int(n),
        ValueRef::Real(x) => Value::Real(x),
        // The store writes only UTF-8; other bytes read as a blob and fail as text.
        ValueRef::Text(bytes) => std::str::from_utf8(bytes).map_or(Value::Blob(bytes), Value::Text),
        ValueRef::Blob(bytes) => Value::Blob(bytes),
    }
}

/// A value bound for PostgreSQL: converted to the type the server expects for the placeholder,
/// so one Rust type binds to `BIGINT`, `INTEGER` or `BOOLEAN` columns alike.
#[derive(Debug)]
pub(super) struct PgParam<'v>(Value<'v>);

impl ToSql for PgParam<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (self.0, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Int(n), &Type::INT8) => n.to_sql(ty, out),
            (Value::Int(n), &Type::INT4) => i32::try_from(n)?.to_sql(ty, out),
            (Value::Int(n), &Type::INT2) => i16::try_from(n)?.to_sql(ty, out),
            (Value::Int(n), &Type::BOOL) => (n != 0).to_sql(ty, out),
            (Value::Int(n), &Type::FLOAT8) => (n as f64).to_sql(ty, out),
            (Value::Int(n), &Type::TEXT | &Type::VARCHAR) => n.to_string().to_sql(ty, out),
            (Value::Real(x), &Type::FLOAT8) => x.to_sql(ty, out),
            (Value::Real(x), &Type::FLOAT4) => (x as f32).to_sql(ty, out),
            // PostgreSQL's text cannot hold NUL, which SQLite stores: a NUL (only ever in junk
            // input, which the domain refuses before storing) is sent as U+FFFD so a look-up
            // finds nothing instead of failing.
            (Value::Text(text), _) if <&str as ToSql>::accepts(ty) && text.contains('\0') => {
                text.replace('\0', "\u{FFFD}").as_str().to_sql(ty, out)
            }
            (Value::Text(text), _) if <&str as ToSql>::accepts(ty) => text.to_sql(ty, out),
            (Value::Blob(bytes), &Type::BYTEA) => bytes.to_sql(ty, out),
            (value, ty) => Err(format!("cannot bind {value:?} to a {ty} parameter").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

pub(super) fn pg_params<'a>(values: &'a [Value<'a>]) -> Vec<PgParam<'a>> {
    values.iter().map(|v| PgParam(*v)).collect()
}

pub(super) fn refs<'a>(params: &'a [PgParam<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

pub(super) fn pg_value(row: &postgres::Row, idx: usize) -> Result<Value<'_>> {
    let ty = row
        .columns()
        .get(idx)
        .ok_or_else(|| anyhow!("no column {idx}"))?
        .type_()
        .clone();
    let int = |n: Option<i64>| n.map_or(Value::Null, Value::Int);
    Ok(match ty {
        Type::INT8 => int(row.try_get::<_, Option<i64>>(idx)?),
        Type::INT4 => int(row.try_get::<_, Option<i32>>(idx)?.map(i64::from)),
        Type::INT2 => int(row.try_get::<_, Option<i16>>(idx)?.map(i64::from)),
        Type::BOOL => int(row.try_get::<_, Option<bool>>(idx)?.map(i64::from)),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(idx)?
            .map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(idx)?
            .map_or(Value::Null, |x| Value::Real(f64::from(x))),
        Type::BYTEA => row
            .try_get::<_, Option<&[u8]>>(idx)?
            .map_or(Value::Null, Value::Blob),
        _ => row
            .try_get::<_, Option<&str>>(idx)?
            .map_or(Value::Null, Value::Text),
    })
}

// What binds and reads.

impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: Param> Param for Option<T> {
    fn value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null, Param::value)
    }
}

impl Param for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl Param for Vec<u8> {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl Param for bool {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl Param for f64 {
    fn value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

macro_rules! int_param {
    ($($t:ty)+) => {$(
        impl Param for $t {
            fn value(&self) -> Value<'_> {
                Value::Int(i64::from(*self))
            }
        }
    )+};
}
int_param!(i64 i32 u32 u16 u8);

impl Param for usize {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl Param for u64 {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl<T: Column> Column for Option<T> {
    fn column(value: Value<'_>) -> Result<Self> {
        match value {
            Value::Null => Ok(None),
            value => T::column(value).map(Some),
        }
    }
}

impl Column for i64 {
    fn column(value: Value<'_>) -> Result<Self> {
        match value {
            Value::Int(n) => Ok(n),
            other => bail!("expected an integer, found {other:?}"),
        }
    }
}

macro_rules! int_column {
    ($($t:ty)+) => {$(
        impl Column for $t {
            fn column(value: Value<'_>) -> Result<Self> {
                Ok(<$t>::try_from(i64::column(value)?)?)
            }
        }
    )+};
}
int_column!(i32 u32 u16 u8 u64 usize);

impl Column for bool {
    fn column(value: Value<'_>) -> Result<Self> {
        Ok(i64::column(value)? != 0)
    }
}

impl Column for f64 {
    fn column(value: Value<'_>) -> Result<Self> {
        match value {
            Value::Real(x) => Ok(x),
            Value::Int(n) => Ok(n as f64),
            other => bail!("expected a number, found {other:?}"),
        }
    }
}

impl Column for String {
    fn column(value: Value<'_>) -> Result<Self> {
        match value {
            Value::Text(text) => Ok(text.to_owned()),
            other => bail!("expected text, found {other:?}"),
        }
    }
}

impl Column for Vec<u8> {
    fn column(value: Value<'_>) -> Result<Self> {
        match value {
            Value::Blob(bytes) => Ok(bytes.to_vec()),
            Value::Text(text) => Ok(text.as_bytes().to_vec()),
            other => bail!("expected bytes, found {other:?}"),
        }
    }
}
