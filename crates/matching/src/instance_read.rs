//! Reading the instance file straight from its bytes: serde visitors feed the ids to an
//! [`InstanceBuilder`] as they are parsed, so no JSON tree and no per-entry `String` is built.
//! Ids without escapes are borrowed from the input and handed over in batches (the builder
//! looks a batch up faster than one id at a time); only an id's first sighting copies it.

use super::instance_builder::InstanceBuilder;
use super::instance_file_error::InstanceFileError;
use super::named_instance::NamedInstance;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Ids handed to the builder at once: enough for the lookups' cache misses to overlap, few
/// enough that the first lookup's cache line is still there when its turn comes.
const BATCH: usize = 256;

impl NamedInstance {
    /// Reads the instance file format, described in `named_instance.rs`.
    pub fn from_json(bytes: &[u8]) -> Result<Self, InstanceFileError> {
        parse(bytes)?.build()
    }

    /// Like [`Self::from_json`], freeing `bytes` as soon as they are parsed: for large files,
    /// whose text is larger than the instance made from it. Freeing the file before assembling
    /// the instance lowers the peak memory by its size.
    pub fn from_json_vec(bytes: Vec<u8>) -> Result<Self, InstanceFileError> {
        let builder = parse(&bytes)?;
        drop(bytes);
        builder.build()
    }
}

fn parse(bytes: &[u8]) -> Result<InstanceBuilder, InstanceFileError> {
    // Checking the encoding once up front lets the parser skip checking every string.
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + valid.iter().rev().take_while(|&&b| b != b'\n').count();
        InstanceFileError::Malformed { line, column, detail: "not UTF-8".to_string() }
    })?;
    let mut reader = Reader::default();
    // An entry takes at least 3 bytes (`"",`) and about 9 in files with ids like "g12345";
    // reserving only costs address space until used.
    reader.builder.reserve_entries(bytes.len() / 16);
    let mut json = serde_json::Deserializer::from_str(text);
    let parsed = TopLevel(&mut reader).deserialize(&mut json).and_then(|()| json.end());
    if let Err(error) = parsed {
        return Err(reader.failure.take().unwrap_or_else(|| from_json_error(&error)));
    }
    let seen = &reader.seen;
    for (key, seen) in [("graduates", seen.graduates), ("postings", seen.postings), ("capacities", seen.capacities)] {
        if !seen {
            return Err(InstanceFileError::Missing(key));
        }
    }
    Ok(reader.builder)
}

fn from_json_error(error: &serde_json::Error) -> InstanceFileError {
    match error.classify() {
        serde_json::error::Category::Data => InstanceFileError::WrongType { detail: error.to_string() },
        _ => {
            // serde_json appends " at line L column C" to its message; the error names them first.
            let detail = error.to_string();
            let detail = detail.rsplit_once(" at line ").map_or(detail.as_str(), |(message, _)| message).to_string();
            InstanceFileError::Malformed { line: error.line(), column: error.column(), detail }
        }
    }
}

#[derive(Default)]
struct Reader<'de> {
    builder: InstanceBuilder,
    /// Ids of the current list not yet handed to the builder.
    batch: Vec<&'de str>,
    /// The precise error behind the generic one handed to serde to stop parsing.
    failure: Option<InstanceFileError>,
    seen: Sections,
}

#[derive(Default)]
struct Sections {
    graduates: bool,
    postings: bool,
    capacities: bool,
}

impl Reader<'_> {
    fn flush<E: de::Error>(&mut self, section: Section) -> Result<(), E> {
        let added = if section == Section::Graduates {
            self.builder.push_postings(&self.batch)
        } else {
            self.builder.push_graduates(&self.batch)
        };
        self.batch.clear();
        self.check(added)
    }

    fn fail<E: de::Error>(&mut self, error: InstanceFileError) -> E {
        let message = error.to_string();
        self.failure = Some(error);
        E::custom(message)
    }

    fn check<E: de::Error>(&mut self, result: Result<(), InstanceFileError>) -> Result<(), E> {
        result.map_err(|error| self.fail(error))
    }
}

struct TopLevel<'r, 'de>(&'r mut Reader<'de>);

impl<'de> DeserializeSeed<'de> for TopLevel<'_, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an instance: an object with \"graduates\", \"postings\" and \"capacities\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let reader = self.0;
        while let Some(key) = map.next_key::<Section>()? {
            let seen = match key {
                Section::Graduates => &mut reader.seen.graduates,
                Section::Postings => &mut reader.seen.postings,
                Section::Capacities => &mut reader.seen.capacities,
                Section::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if std::mem::replace(seen, true) {
                let key = key.name().to_string();
                return Err(reader.fail(InstanceFileError::DuplicateKey { section: "the instance", key }));
            }
            map.next_value_seed(Lists { reader: &mut *reader, section: key })?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Graduates,
    Postings,
    Capacities,
    Other,
}

impl Section {
    fn name(self) -> &'static str {
        match self {
            Section::Graduates => "graduates",
            Section::Postings => "postings",
            Section::Capacities => "capacities",
            Section::Other => "",
        }
    }
}

impl<'de> de::Deserialize<'de> for Section {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = Section;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Section, E> {
                Ok(match key {
                    "graduates" => Section::Graduates,
                    "postings" => Section::Postings,
                    "capacities" => Section::Capacities,
                    _ => Section::Other,
                })
            }
        }
        deserializer.deserialize_str(Name)
    }
}

/// One of the three sections: an object from id to a list (or, for capacities, a number).
struct Lists<'r, 'de> {
    reader: &'r mut Reader<'de>,
    section: Section,
}

impl<'de> DeserializeSeed<'de> for Lists<'_, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Lists<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.section {
            Section::Graduates => {
                f.write_str("\"graduates\" to be an object from graduate id to a list of posting ids")
            }
            Section::Postings => f.write_str("\"postings\" to be an object from posting id to a list of graduate ids"),
            _ => f.write_str("\"capacities\" to be an object from posting id to a number of seats"),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let reader = self.reader;
        while map.next_key_seed(Key { reader: &mut *reader, section: self.section })?.is_some() {
            if self.section == Section::Capacities {
                map.next_value_seed(Capacity(&mut *reader))?;
            } else {
                map.next_value_seed(Ids { reader: &mut *reader, section: self.section })?;
            }
        }
        Ok(())
    }
}

/// The id that owns a list or a capacity.
struct Key<'r, 'de> {
    reader: &'r mut Reader<'de>,
    section: Section,
}

impl<'de> DeserializeSeed<'de> for Key<'_, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an id")
    }

    fn visit_str<E: de::Error>(self, id: &str) -> Result<(), E> {
        let builder = &mut self.reader.builder;
        let started = match self.section {
            Section::Graduates => builder.begin_graduate(id),
            Section::Postings => builder.begin_posting(id),
            _ => builder.begin_capacity(id),
        };
        self.reader.check(started)
    }
}

/// A ranked list of ids of the other side.
struct Ids<'r, 'de> {
    reader: &'r mut Reader<'de>,
    section: Section,
}

impl<'de> DeserializeSeed<'de> for Ids<'_, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Ids<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let (other, owner) =
            (if self.section == Section::Graduates { "posting" } else { "graduate" }, self.reader.builder.owner());
        write!(f, "{}[{owner:?}] to be a list of {other} ids", self.section.name())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Id { reader: &mut *self.reader, section: self.section })?.is_some() {}
        self.reader.flush(self.section)
    }
}

/// One id in a list: a string, or a non-negative integer standing for its decimal digits.
struct Id<'r, 'de> {
    reader: &'r mut Reader<'de>,
    section: Section,
}

impl Id<'_, '_> {
    /// Adds an id that cannot wait in the batch (it does not live as long as the input).
    fn add<E: de::Error>(self, id: &str) -> Result<(), E> {
        self.reader.flush(self.section)?;
        let builder = &mut self.reader.builder;
        let added =
            if self.section == Section::Graduates { builder.push_posting(id) } else { builder.push_graduate(id) };
        self.reader.check(added)
    }

    fn reject<E: de::Error>(self, got: String) -> Result<(), E> {
        self.reader.flush(self.section)?;
        let side = self.section.name();
        let builder = &self.reader.builder;
        let error = InstanceFileError::BadId {
            side,
            owner: builder.owner().to_string(),
            position: builder.next_position(self.section == Section::Graduates),
            got,
        };
        Err(self.reader.fail(error))
    }
}

impl<'de> DeserializeSeed<'de> for Id<'_, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Id<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an id: a string or a non-negative integer")
    }

    fn visit_borrowed_str<E: de::Error>(self, id: &'de str) -> Result<(), E> {
        self.reader.batch.push(id);
        if self.reader.batch.len() == BATCH { self.reader.flush(self.section) } else { Ok(()) }
    }

    fn visit_str<E: de::Error>(self, id: &str) -> Result<(), E> {
        self.add(id)
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<(), E> {
        let mut digits = [0u8; 20];
        self.add(decimal(number, &mut digits))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<(), E> {
        self.reject(number.to_string())
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<(), E> {
        self.reject(format!("{number:?}"))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<(), E> {
        self.reject(value.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.reject("null".to_string())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.reject("a list".to_string())
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.reject("an object".to_string())
    }
}

/// Writes `number` in decimal at the end of `buffer`, without allocating.
fn decimal(mut number: u64, buffer: &mut [u8; 20]) -> &str {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    std::str::from_utf8(&buffer[start..]).expect("ASCII digits")
}

/// A capacity: a non-negative integer that fits in `u32`.
struct Capacity<'r, 'de>(&'r mut Reader<'de>);

impl Capacity<'_, '_> {
    fn reject<E: de::Error>(self, got: String) -> Result<(), E> {
        let posting = self.0.builder.owner().to_string();
        Err(self.0.fail(InstanceFileError::BadCapacity { posting, got }))
    }
}

impl<'de> DeserializeSeed<'de> for Capacity<'_, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Capacity<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a non-negative integer")
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<(), E> {
        match u32::try_from(number) {
            Ok(seats) => {
                self.0.builder.set_capacity(seats);
                Ok(())
            }
            Err(_) => self.reject(number.to_string()),
        }
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<(), E> {
        self.reject(number.to_string())
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<(), E> {
        self.reject(format!("{number:?}"))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        self.reject(format!("{text:?}"))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<(), E> {
        self.reject(value.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.reject("null".to_string())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.reject("a list".to_string())
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.reject("an object".to_string())
    }
}
