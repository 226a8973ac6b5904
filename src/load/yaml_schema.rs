//! Which keys each mapping of a typed YAML file accepts, read from the Rust types themselves,
//! so that every unknown key of a file is reported at once (serde stops at the first), each
//! with its own "did you mean", and without reading the words of serde's messages.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::de::value::Error;
use serde::de::{
    DeserializeOwned, DeserializeSeed, Error as _, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

/// Key paths with `[]` for "any item" (`meetings[]`, `labs.due`; `""` is the top) → the keys
/// the struct at that place accepts. Places that take free data (maps, any value) are absent.
pub type Schema = HashMap<String, &'static [&'static str]>;

/// The schema of `T`: its struct fields, and theirs, as serde's derive lists them.
///
/// A deserializer walks the type (each field once, each list with one item, each option as
/// present) and records what every `deserialize_struct` is given.
pub fn schema_of<T: DeserializeOwned>() -> Schema {
    let out = RefCell::new(Schema::new());
    let _ = T::deserialize(Probe {
        path: String::new(),
        out: &out,
        depth: 0,
    });
    out.into_inner()
}

/// How deep the walk goes: a recursive type stops here.
const MAX_PROBE_DEPTH: usize = 16;

struct Probe<'a> {
    path: String,
    out: &'a RefCell<Schema>,
    depth: usize,
}

impl<'a> Probe<'a> {
    fn child(&self, step: &str) -> Probe<'a> {
        let path = match (self.path.is_empty(), step) {
            (_, "[]") => format!("{}[]", self.path),
            (true, _) => step.to_string(),
            (false, _) => format!("{}.{step}", self.path),
        };
        Probe {
            path,
            out: self.out,
            depth: self.depth + 1,
        }
    }
}

impl<'de> serde::Deserializer<'de> for Probe<'_> {
    type Error = Error;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }
    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_bool(false)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_i64(0)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_u64(0)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_f64(0.0)
    }
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_str("")
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_str("")
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_some(self)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        if self.depth > MAX_PROBE_DEPTH {
            return Err(Error::custom("too deep"));
        }
        v.visit_seq(OneItem(Some(self.child("[]"))))
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_map(Fields {
            probe: self,
            fields: &[],
            next: 0,
        })
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        if self.depth > MAX_PROBE_DEPTH {
            return Err(Error::custom("too deep"));
        }
        self.out.borrow_mut().insert(self.path.clone(), fields);
        v.visit_map(Fields {
            probe: self,
            fields,
            next: 0,
        })
    }
    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u8 u16 u32 u128 f32 char bytes byte_buf unit unit_struct tuple
        tuple_struct enum identifier ignored_any
    }
}

/// A list of one item.
struct OneItem<'a>(Option<Probe<'a>>);

impl<'de> SeqAccess<'de> for OneItem<'_> {
    type Error = Error;
    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        self.0.take().map(|p| seed.deserialize(p)).transpose()
    }
}

/// Every field of a struct once (none for a free map).
struct Fields<'a> {
    probe: Probe<'a>,
    fields: &'static [&'static str],
    next: usize,
}

impl<'de> MapAccess<'de> for Fields<'_> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(field) = self.fields.get(self.next) else {
            return Ok(None);
        };
        seed.deserialize(field.into_deserializer()).map(Some)
    }
    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let field = self.fields.get(self.next).copied().unwrap_or_default();
        self.next += 1;
        seed.deserialize(self.probe.child(field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Top {
        title: String,
        people: Vec<Person>,
        labs: Option<Labs>,
        extra: std::collections::BTreeMap<String, String>,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Person {
        name: String,
        url: Option<String>,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Labs {
        due: Option<Due>,
        launch: Option<String>,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Due {
        weekday: Option<String>,
        min_days: Option<i64>,
    }

    /// Every struct of a type, nested in lists and options, is found with its keys.
    #[test]
    fn finds_every_struct() {
        let s = schema_of::<Top>();
        let mut got: Vec<(String, Vec<&str>)> =
            s.into_iter().map(|(k, v)| (k, v.to_vec())).collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("".to_string(), vec!["title", "people", "labs", "extra"]),
                ("labs".to_string(), vec!["due", "launch"]),
                ("labs.due".to_string(), vec!["weekday", "min_days"]),
                ("people[]".to_string(), vec!["name", "url"]),
            ]
        );
    }
}
