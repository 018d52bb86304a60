//! The interface's words, from the one message catalogue (`danvan_i18n`): `t("sign-in")` in a
//! template, [`word`] in code; and [`message`], a message of `danvan_entry` in Vietnamese.

use minijinja::State;

use super::session::Lang;

/// A message of `danvan_entry` in the interface's language ([`danvan_i18n::phrases`]).
pub(crate) fn message(text: &str, lang: Lang) -> String {
    danvan_i18n::phrases(text, lang)
}

/// The catalogue's message `id` in the language of the page being rendered (its `lang`
/// variable).
pub(crate) fn t(state: &State<'_, '_>, id: &str) -> String {
    let lang = match state.lookup("lang") {
        Some(l) if l.as_str() == Some("en") => Lang::En,
        _ => Lang::Vi,
    };
    word(id, lang)
}

/// `s` with its first letter a capital ("Hội nghị").
pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The catalogue's message `id` in `lang`.
pub(crate) fn word(id: &str, lang: Lang) -> String {
    danvan_i18n::text(lang, id)
}

#[cfg(test)]
mod tests {
    use super::super::session::Lang;

    #[test]
    fn the_readers_messages_read_in_vietnamese() {
        let m = danvan_entry::date("31/11/2026").unwrap_err();
        let vi = super::message(&m, Lang::Vi);
        assert!(
            vi.starts_with("không phải là ngày; hãy viết như 22/6/2023"),
            "{vi}"
        );
        assert!(!vi.contains(" or "), "{vi}");
        assert_eq!(super::message(&m, Lang::En), m);
        let m = danvan_entry::parse(danvan_entry::Shape::Province, "Atlantis").unwrap_err();
        assert!(
            super::message(&m, Lang::Vi).starts_with("không phải là tỉnh"),
            "{m}"
        );
    }

    #[test]
    fn every_word_a_template_uses_is_in_the_catalogue() {
        for (name, source) in super::super::TEMPLATES {
            for part in source.split("t(\"").skip(1) {
                let id = part.split("\")").next().unwrap_or_default();
                assert!(danvan_i18n::has(id), "{name}: no message {id:?}");
            }
        }
    }
}
