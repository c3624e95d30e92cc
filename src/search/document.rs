//! Turning postings and graduates into index documents.

use super::schema::{Fields, KIND_GRADUATE, KIND_POSTING, code};
use crate::domain::{Benefit, Category, Education, GraduateStatus, PostingStatus};
use crate::store::changes::Entity;
use crate::store::search_source::{GraduateSource, PostingSource};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use tantivy::TantivyDocument;

pub fn key(entity: Entity, id: i64) -> String {
    format!("{}:{id}", entity.as_str())
}

/// What a search result shows besides the record itself. Snippets are cut from the
/// record's own texts ([`PostingText`]), so the document stores no second copy.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredPosting {
    pub posting: serde_json::Value,
    pub organization_name: String,
    pub project_name: Option<String>,
    pub park: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StoredGraduate {
    pub graduate: serde_json::Value,
    pub organization_name: String,
    /// What the graduate's latest consent given was for (companies are shown it).
    #[serde(default)]
    pub consent_purpose: Option<String>,
}

/// [`StoredPosting`] as written: serialized straight from the source, no JSON tree between.
#[derive(Serialize)]
struct PostingRecord<'a> {
    posting: &'a crate::domain::posting::Posting,
    organization_name: &'a str,
    project_name: Option<&'a str>,
    park: Option<&'a str>,
}

#[derive(Serialize)]
struct GraduateRecord<'a> {
    graduate: &'a crate::domain::graduate::Graduate,
    organization_name: &'a str,
    consent_purpose: Option<&'a str>,
}

/// A stored posting as a page of hits reads it: the record stays JSON text, and only the
/// fields the hit needs are read from it (no JSON tree).
#[derive(Deserialize)]
pub struct PostingHit<'a> {
    #[serde(borrow)]
    pub posting: &'a RawValue,
    #[serde(borrow)]
    pub organization_name: Cow<'a, str>,
    #[serde(borrow)]
    pub project_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub park: Option<Cow<'a, str>>,
}

/// A stored graduate as a page of hits reads it (see [`PostingHit`]).
#[derive(Deserialize)]
pub struct GraduateHit<'a> {
    #[serde(borrow)]
    pub graduate: &'a RawValue,
    #[serde(borrow)]
    pub organization_name: Cow<'a, str>,
    #[serde(borrow, default)]
    pub consent_purpose: Option<Cow<'a, str>>,
}

/// What a hit needs of a posting record: its id and the texts its snippet is cut from.
#[derive(Deserialize)]
pub struct PostingText<'a> {
    pub id: i64,
    #[serde(borrow, default)]
    title: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    description: Option<Cow<'a, str>>,
    #[serde(default)]
    majors: Option<Vec<String>>,
}

impl PostingText<'_> {
    /// The text the snippet is cut from: title, description, then majors.
    pub fn snippet_text(&self) -> String {
        let majors = self.majors.iter().flatten().map(String::as_str);
        joined([text(&self.title), text(&self.description)].into_iter().chain(majors))
    }
}

/// What a hit needs of a graduate record: who may see its contact details, and the texts
/// its snippet is cut from.
#[derive(Deserialize)]
pub struct GraduateText<'a> {
    pub id: i64,
    #[serde(default)]
    pub organization_id: i64,
    #[serde(default)]
    pub consent: bool,
    #[serde(borrow, default)]
    major: Option<Cow<'a, str>>,
    #[serde(default)]
    skills: Option<Vec<String>>,
    #[serde(default)]
    certificates: Option<Vec<String>>,
    #[serde(borrow, default)]
    summary: Option<Cow<'a, str>>,
}

impl GraduateText<'_> {
    /// The text the snippet is cut from: major, skills and certificates, summary.
    pub fn snippet_text(&self) -> String {
        let tags = self.skills.iter().flatten().chain(self.certificates.iter().flatten()).map(String::as_str);
        joined(std::iter::once(text(&self.major)).chain(tags).chain([text(&self.summary)]))
    }
}

fn text<'a>(value: &'a Option<Cow<'_, str>>) -> &'a str {
    value.as_deref().unwrap_or("")
}

fn days(date: Option<NaiveDate>) -> i64 {
    date.map_or(0, |d| d.signed_duration_since(NaiveDate::default()).num_days())
}

/// One space between pieces: a separator no bigram or word crosses.
fn joined<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ； ")
}

pub fn posting(f: &Fields, source: &PostingSource) -> TantivyDocument {
    let p = &source.posting;
    let pf = &p.fields;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, key(Entity::Posting, p.id));
    doc.add_u64(f.kind, KIND_POSTING);
    doc.add_u64(f.org, p.organization_id as u64);
    if let Some(project) = pf.project_id {
        doc.add_u64(f.project, project as u64);
    }
    doc.add_u64(f.category, code(Category::ALL, &pf.category));
    doc.add_u64(f.edu_rank, pf.education_min.rank() as u64);
    doc.add_u64(f.edu_code, code(Education::ALL, &pf.education_min));
    if let Some(location) = &pf.location {
        doc.add_text(f.location, location);
    }
    if let Some(park) = &source.park {
        doc.add_text(f.park, park);
    }
    for b in pf.benefits.iter() {
        doc.add_u64(f.benefit, code(Benefit::ALL, b));
    }
    doc.add_u64(f.salary, pf.salary_max.or(pf.salary_min).unwrap_or(0).max(0) as u64);
    doc.add_u64(f.status, code(PostingStatus::ALL, &pf.status));
    doc.add_u64(f.id, p.id as u64);
    doc.add_i64(f.starts_on, days(pf.starts_on));
    doc.add_i64(f.closes_on, days(pf.closes_on));

    let (tags, body) = posting_parts(source);
    doc.add_text(f.title, &pf.title);
    doc.add_text(f.tags, &tags);
    doc.add_text(f.body, &body);
    doc.add_text(f.title_bigrams, &pf.title);
    // What `posting_text` gives, from the parts already in hand.
    doc.add_text(f.all_bigrams, joined([pf.title.as_str(), tags.as_str(), body.as_str()]));
    let stored = PostingRecord {
        posting: p,
        organization_name: &source.organization_name,
        project_name: source.project_name.as_deref(),
        park: source.park.as_deref(),
    };
    doc.add_text(f.stored, serde_json::to_string(&stored).expect("a posting serializes"));
    doc
}

pub fn graduate(f: &Fields, source: &GraduateSource) -> TantivyDocument {
    let g = &source.graduate;
    let gf = &g.fields;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, key(Entity::Graduate, g.id));
    doc.add_u64(f.kind, KIND_GRADUATE);
    doc.add_u64(f.org, g.organization_id as u64);
    doc.add_u64(f.edu_rank, gf.education.rank() as u64);
    doc.add_u64(f.edu_code, code(Education::ALL, &gf.education));
    for location in gf.preferred_locations.iter() {
        doc.add_text(f.location, location);
    }
    doc.add_u64(f.salary, gf.expected_salary.unwrap_or(0).max(0) as u64);
    doc.add_u64(f.status, code(GraduateStatus::ALL, &gf.status));
    doc.add_u64(f.consent, u64::from(gf.consent));
    doc.add_u64(f.year, gf.graduation_year.max(0) as u64);
    doc.add_text(f.major, &gf.major);
    doc.add_u64(f.id, g.id as u64);
    doc.add_i64(f.starts_on, days(gf.available_from));

    let (tags, body) = graduate_parts(source);
    doc.add_text(f.title, &gf.major);
    doc.add_text(f.tags, &tags);
    doc.add_text(f.body, &body);
    doc.add_text(f.title_bigrams, &gf.major);
    // What `graduate_text` gives, from the parts already in hand.
    doc.add_text(f.all_bigrams, joined([gf.major.as_str(), tags.as_str(), body.as_str()]));
    // The ID number is never in the index, not even stored.
    let mut shown = g.clone();
    shown.fields.id_number = None;
    let stored = GraduateRecord {
        graduate: &shown,
        organization_name: &source.organization_name,
        consent_purpose: source.consent_purpose.as_deref(),
    };
    doc.add_text(f.stored, serde_json::to_string(&stored).expect("a graduate serializes"));
    doc
}

/// A posting's searchable text besides its title: (majors, everything else).
fn posting_parts(source: &PostingSource) -> (String, String) {
    let pf = &source.posting.fields;
    let tags = joined(pf.majors.iter().map(String::as_str));
    let benefits: Vec<&str> = pf.benefits.iter().map(|b| b.label_zh()).collect();
    let body = joined(
        [
            pf.description.as_deref(),
            Some(source.organization_name.as_str()),
            source.project_name.as_deref(),
            source.park.as_deref(),
            pf.location.as_deref(),
            Some(pf.category.label_zh()),
        ]
        .into_iter()
        .flatten()
        .chain(benefits.iter().copied()),
    );
    (tags, body)
}

/// All of a posting's searchable text: what a query must find verbatim.
pub fn posting_text(source: &PostingSource) -> String {
    let (tags, body) = posting_parts(source);
    joined([source.posting.fields.title.as_str(), tags.as_str(), body.as_str()])
}

/// A graduate's searchable text besides the major: (skills and certificates, the rest).
fn graduate_parts(source: &GraduateSource) -> (String, String) {
    let gf = &source.graduate.fields;
    let tags = joined(gf.skills.iter().chain(gf.certificates.iter()).map(String::as_str));
    let locations = joined(gf.preferred_locations.iter().map(String::as_str));
    let body = joined([
        gf.summary.as_deref().unwrap_or(""),
        source.organization_name.as_str(),
        locations.as_str(),
        gf.education.label_zh(),
        gf.name.as_str(),
    ]);
    (tags, body)
}

/// All of a graduate's searchable text.
pub fn graduate_text(source: &GraduateSource) -> String {
    let (tags, body) = graduate_parts(source);
    joined([source.graduate.fields.major.as_str(), tags.as_str(), body.as_str()])
}
