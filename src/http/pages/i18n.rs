//! The pages' words, in Chinese (the default) and English, from one fluent catalogue:
//! `templates/i18n/{zh-CN,en}/<area>.ftl`, one file per area of the site. A test checks
//! that both languages have the same keys and that every key the code uses exists.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::OnceLock;

/// A language the pages speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The value of `<html lang>` and of `hreflang`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The value `?lang=` and the `lang` cookie carry.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// `zh`, `zh-CN`, `zh-Hans`… and `en`, `en-GB`…; anything else is not ours.
    pub fn parse(text: &str) -> Option<Lang> {
        let primary = text.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first of ours in an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranked: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let lang = Lang::parse(parts.next()?)?;
                let quality =
                    parts.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
                (quality > 0.0).then_some((quality, lang))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, lang)| *lang)
    }

    /// The Chinese or English half of a bilingual message (`"English / 中文"`), as the
    /// domain writes its validation messages.
    pub fn pick(self, bilingual: &str) -> &str {
        match bilingual.rsplit_once(" / ") {
            Some((en, zh)) => match self {
                Lang::Zh => zh,
                Lang::En => en,
            },
            None => bilingual,
        }
    }

    /// A vocabulary value's label in this language.
    pub fn label(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The catalogue files, embedded: (language, area, text).
const SOURCES: &[(Lang, &str, &str)] = &[
    (Lang::Zh, "common", include_str!("../../../templates/i18n/zh-CN/common.ftl")),
    (Lang::En, "common", include_str!("../../../templates/i18n/en/common.ftl")),
    (Lang::Zh, "public", include_str!("../../../templates/i18n/zh-CN/public.ftl")),
    (Lang::En, "public", include_str!("../../../templates/i18n/en/public.ftl")),
    (Lang::Zh, "company", include_str!("../../../templates/i18n/zh-CN/company.ftl")),
    (Lang::En, "company", include_str!("../../../templates/i18n/en/company.ftl")),
    (Lang::Zh, "matching", include_str!("../../../templates/i18n/zh-CN/matching.ftl")),
    (Lang::En, "matching", include_str!("../../../templates/i18n/en/matching.ftl")),
    (Lang::Zh, "school", include_str!("../../../templates/i18n/zh-CN/school.ftl")),
    (Lang::En, "school", include_str!("../../../templates/i18n/en/school.ftl")),
    (Lang::Zh, "import", include_str!("../../../templates/i18n/zh-CN/import.ftl")),
    (Lang::En, "import", include_str!("../../../templates/i18n/en/import.ftl")),
    (Lang::Zh, "me", include_str!("../../../templates/i18n/zh-CN/me.ftl")),
    (Lang::En, "me", include_str!("../../../templates/i18n/en/me.ftl")),
    (Lang::Zh, "coordinator", include_str!("../../../templates/i18n/zh-CN/coordinator.ftl")),
    (Lang::En, "coordinator", include_str!("../../../templates/i18n/en/coordinator.ftl")),
    (Lang::Zh, "offers", include_str!("../../../templates/i18n/zh-CN/offers.ftl")),
    (Lang::En, "offers", include_str!("../../../templates/i18n/en/offers.ftl")),
    (Lang::Zh, "admin", include_str!("../../../templates/i18n/zh-CN/admin.ftl")),
    (Lang::En, "admin", include_str!("../../../templates/i18n/en/admin.ftl")),
    (Lang::Zh, "fair", include_str!("../../../templates/i18n/zh-CN/fair.ftl")),
    (Lang::En, "fair", include_str!("../../../templates/i18n/en/fair.ftl")),
    (Lang::Zh, "reports", include_str!("../../../templates/i18n/zh-CN/reports.ftl")),
    (Lang::En, "reports", include_str!("../../../templates/i18n/en/reports.ftl")),
    (Lang::Zh, "rounds", include_str!("../../../templates/i18n/zh-CN/rounds.ftl")),
    (Lang::En, "rounds", include_str!("../../../templates/i18n/en/rounds.ftl")),
];

struct Catalogue {
    zh: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang.tag().parse().expect("language tag")]);
    // Isolation marks around arguments would show as stray characters in titles.
    bundle.set_use_isolating(false);
    for (_, area, text) in SOURCES.iter().filter(|(l, _, _)| *l == lang) {
        let resource = FluentResource::try_new(text.to_string())
            .unwrap_or_else(|(_, errors)| panic!("templates/i18n/{}/{area}.ftl: {errors:?}", lang.tag()));
        bundle.add_resource(resource).unwrap_or_else(|errors| panic!("duplicate key in {area}.ftl: {errors:?}"));
    }
    bundle
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue { zh: bundle(Lang::Zh), en: bundle(Lang::En) })
}

/// Load the catalogue now rather than on the first page (start-up fails on a broken file).
pub fn load() {
    catalogue();
}

/// The message `key` in `lang`, with `args`; a missing key shows as itself (the
/// catalogue test keeps that from shipping).
pub fn message(lang: Lang, key: &str, args: &[(&str, FluentValue)]) -> String {
    let catalogue = catalogue();
    let bundle = match lang {
        Lang::Zh => &catalogue.zh,
        Lang::En => &catalogue.en,
    };
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    let text: Cow<str> = bundle.format_pattern(pattern, (!args.is_empty()).then_some(&fluent_args), &mut errors);
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: Lang) -> BTreeSet<String> {
        SOURCES
            .iter()
            .filter(|(l, _, _)| *l == lang)
            .flat_map(|(_, _, text)| {
                let resource = FluentResource::try_new(text.to_string()).expect("parses");
                resource
                    .entries()
                    .filter_map(|e| match e {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let (zh, en) = (keys(Lang::Zh), keys(Lang::En));
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(only_zh.is_empty() && only_en.is_empty(), "only in zh-CN: {only_zh:?}; only in en: {only_en:?}");
        assert!(zh.len() > 10);
    }

    /// Every `t("key")`/`t1("key", …)` in the templates and the pages' code names a key of
    /// the catalogue; every `.ftl` file of the folder is embedded.
    #[test]
    fn every_key_used_exists() {
        let zh = keys(Lang::Zh);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        let mut files = Vec::new();
        collect(&root.join("templates/pages"), &mut files);
        collect(&root.join("src/http/pages"), &mut files);
        for file in files.iter().filter(|f| !f.ends_with("i18n.rs")) {
            let text = std::fs::read_to_string(file).expect("readable");
            let rust = file.extension().is_some_and(|e| e == "rs");
            for key in keys_in(&text, rust) {
                if !zh.contains(&key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
        assert!(missing.is_empty(), "keys not in the catalogue: {missing:#?}");
        for lang in ["zh-CN", "en"] {
            for entry in std::fs::read_dir(root.join("templates/i18n").join(lang)).expect("folder") {
                let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
                let area = name.trim_end_matches(".ftl");
                assert!(SOURCES.iter().any(|(_, a, _)| *a == area), "templates/i18n/{lang}/{name} is not embedded");
            }
        }
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    /// The literal keys in `text`.
    fn keys_in(text: &str, rust: bool) -> Vec<String> {
        let mut keys = Vec::new();
        // Method calls with a literal key, and keys handed around as values (a flash
        // message, an error page's texts) by their prefixes.
        let calls: &[&str] = if rust {
            &[".t(\"", ".t1(\"", ".t2(\"", "\"flash-", "\"error-", "\"login-"]
        } else {
            &[".t(\"", ".t1(\"", ".t2(\""]
        };
        for call in calls {
            let mut rest = text;
            while let Some(at) = rest.find(call) {
                let prefix = call.split_once('"').map_or("", |(_, p)| p);
                rest = &rest[at + call.len()..];
                if let Some(end) = rest.find('"') {
                    keys.push(format!("{prefix}{}", &rest[..end]));
                }
            }
        }
        keys
    }

    #[test]
    fn accept_language_picks_the_best_of_ours() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr, zh-CN;q=0.5, en;q=0.4"), Some(Lang::Zh));
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(Lang::from_accept_language("en;q=0, zh;q=0.1"), Some(Lang::Zh));
    }

    #[test]
    fn picks_a_half_of_a_bilingual_message() {
        assert_eq!(Lang::Zh.pick("is required / 必填"), "必填");
        assert_eq!(Lang::En.pick("is required / 必填"), "is required");
        assert_eq!(Lang::En.pick("plain"), "plain");
    }

    #[test]
    fn formats_arguments_without_isolation_marks() {
        let text = message(Lang::En, "results-count", &[("count", FluentValue::from(3))]);
        assert_eq!(text, "3 openings");
        let text = message(Lang::Zh, "results-count", &[("count", FluentValue::from(1))]);
        assert_eq!(text, "共 1 个岗位");
    }
}
