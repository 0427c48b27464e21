use super::*;

fn analyzer(vocab: &str) -> Analyzer {
    let mut lex = Lexicon::default();
    lex.add_text(vocab);
    Analyzer::new(Arc::new(lex))
}

/// (word, stem, hyphen parts, compound parts) for each token.
fn check_tokens(a: &Analyzer, text: &str, want: &[(&str, &str, &[&str], &[&str])]) {
    let got: Vec<(String, String, Vec<String>, Vec<String>)> = a.analyze(text).into_iter().map(|t| (t.word, t.stem, t.hyphen_parts, t.parts)).collect();
    let want: Vec<(String, String, Vec<String>, Vec<String>)> = want
        .iter()
        .map(|(w, s, h, p)| (w.to_string(), s.to_string(), h.iter().map(|x| x.to_string()).collect(), p.iter().map(|x| x.to_string()).collect()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn stems_and_protected_words() {
    let a = analyzer("");
    check_tokens(
        &a,
        "Udskrivelser udskrivelsen borgere borgerne sundheden læger",
        &[
            ("udskrivelser", "udskriv", &[], &[]),
            ("udskrivelsen", "udskriv", &[], &[]),
            ("borgere", "borger", &[], &[]),
            ("borgerne", "borger", &[], &[]),
            ("sundheden", "sundhed", &[], &[]),
            ("læger", "læge", &[], &[]),
        ],
    );
    // "borg" itself still stems to borg: only words that begin with the protected form move.
    assert_eq!(stem("borg"), "borg");
}

#[test]
fn stop_words_dropped_but_negations_and_decisions_kept() {
    let a = analyzer("");
    let words: Vec<String> = a.analyze("det blev ikke besluttet at de skal have en aftale").into_iter().map(|t| t.word).collect();
    assert_eq!(words, vec!["blev", "ikke", "besluttet", "skal", "have", "aftale"]);
    // Positions keep the gaps of dropped words.
    let pos: Vec<usize> = a.analyze("den nære psykiatri").into_iter().map(|t| t.position).collect();
    assert_eq!(pos, vec![1, 2]);
}

#[test]
fn hyphenated_words_whole_and_by_parts() {
    let a = analyzer("");
    check_tokens(&a, "IV-behandling", &[("ivbehandling", "ivbehandling", &["iv", "behandling"], &[])]);
    check_tokens(&a, "LÆ-blanketter", &[("læblanketter", "læblanket", &["læ", "blanket"], &[])]);
    check_tokens(&a, "Ikast-Brande", &[("ikastbrande", "ikastbrand", &["ikast", "brand"], &[])]);
    // The next word comes after the parts.
    let t = a.analyze("IV-behandling hjemme");
    assert_eq!(t[1].position, 3);
}

#[test]
fn compounds_split_on_the_archives_vocabulary() {
    let a = analyzer("misbrug rehabilitering vaccination forløb indsatsen");
    let parts = |w: &str| a.analyze(w).remove(0).parts;
    assert_eq!(parts("alkoholmisbrug"), vec!["alkohol", "misbrug"]);
    assert_eq!(parts("hjerterehabilitering"), vec!["hjert", "rehabilitering"]);
    assert_eq!(parts("neurorehabilitering"), vec!["neuro", "rehabilitering"]);
    assert_eq!(parts("influenzavaccination"), vec!["influenza", "vaccination"]);
    // The linking -s- belongs to the head.
    assert_eq!(parts("rehabiliteringsforløbet"), vec!["rehabilitering", "forløb"]);
    assert_eq!(parts("rygestopindsatsen"), vec!["rygestop", "indsats"]);
    // A derivational ending is no tail, even where the archive has it as a fragment.
    let b = analyzer("ning ryg brugere apparat ger");
    assert!(b.analyze("rygning")[0].parts.is_empty());
    assert_eq!(b.analyze("høreapparatsbrugere")[0].parts, vec!["høreapparat", "brug", "hør", "apparat"]);
    // Without evidence, no split: "udskrivelse" is not "ud|skrivelse".
    assert!(parts("udskrivelse").is_empty());
    assert!(analyzer("").analyze("alkoholmisbrug")[0].parts.is_empty());
}

#[test]
fn decomposed_and_compatibility_input() {
    let a = analyzer("");
    let nfd = "ho\u{308}reomra\u{30a}det"; // not Danish ø, but o + diaeresis: still folded by NFKC composition
    assert_eq!(a.analyze(nfd)[0].word, "höreområdet");
    assert_eq!(a.analyze("Høreomra\u{30a}det")[0].word, "høreområdet");
    assert_eq!(a.analyze("ﬁnansiering")[0].word, "finansiering");
}

#[test]
fn ascii_spellings() {
    let v = danish_spellings("hoereomraadet");
    assert!(v.contains(&"høreområdet".to_string()), "{v:?}");
    assert!(danish_spellings("rygestop").is_empty());
    assert!(danish_spellings("hjemløse").contains(&"hjemløse".replace("ø", "ø")) || danish_spellings("hjemløse").is_empty());
    assert_eq!(danish_spellings("høreapparatae").len(), 1);
    assert!(danish_spellings("sygefravaer").contains(&"sygefravær".to_string()));
}

#[test]
fn words_keep_inner_hyphens_only() {
    let t = "sundheds- og ældrechefer, covid-19 -x";
    let w: Vec<&str> = words(t).into_iter().map(|(a, b)| &t[a..b]).collect();
    assert_eq!(w, vec!["sundheds", "og", "ældrechefer", "covid-19", "x"]);
}

#[test]
fn a_tokenizer_used_again_gives_each_text_its_own_tokens() {
    use tantivy::tokenizer::{TokenStream, Tokenizer};
    let mut lex = Lexicon::default();
    lex.add_text("misbrug");
    let mut t = DanishTokenizer::new(Analyzer::new(std::sync::Arc::new(lex)), Mode::Main);
    let mut collect = |text: &str| {
        let mut s = t.token_stream(text);
        let mut out = vec![];
        while s.advance() {
            out.push((s.token().text.clone(), s.token().position));
        }
        out
    };
    let long = collect("Alkoholmisbrug og IV-behandling i hjemmet");
    let want = [("alkoholmisbrug", 0), ("ivbehandling", 2), ("iv", 3), ("behandling", 4), ("hjem", 6)];
    assert_eq!(long, want.map(|(w, p)| (w.to_string(), p)).to_vec());
    // A shorter text after a longer one: none of the longer's tokens remain.
    let short = collect("Hjemmet");
    assert_eq!(short, vec![("hjem".to_string(), 0)]);
    assert_eq!(collect("Alkoholmisbrug og IV-behandling i hjemmet"), long);
}

#[test]
fn words_are_lower_cased_as_the_standard_library_does() {
    // Danish capitals, a compatibility ligature (NFKC), and a Greek capital
    // sigma, whose lower case at a word's end differs from within it.
    for w in ["ÆBLEGRØD", "Ålborg", "Øresund", "ﬁnansiering", "ΟΔΟΣ", "ΣΟΦΙΑ", "straße", "İstanbul"] {
        let expected: String = unicode_normalization::UnicodeNormalization::nfkc(w).collect::<String>().to_lowercase();
        assert_eq!(crate::normalize(w), expected, "{w}");
    }
}

#[test]
fn stop_words_are_found_and_longer_words_are_not() {
    assert!(crate::is_stop_word("og") && crate::is_stop_word("hendes") && crate::is_stop_word("sådan"));
    assert!(!crate::is_stop_word("ikke") && !crate::is_stop_word("sundhedsaftale") && !crate::is_stop_word(""));
}

#[test]
fn the_parts_field_takes_the_parts_of_a_text_read_for_the_main_fields_and_no_others() {
    use tantivy::tokenizer::{TokenStream, Tokenizer};
    fn tokens(t: &mut DanishTokenizer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut s = t.token_stream(text);
        let mut out = vec![];
        while s.advance() {
            let k = s.token();
            out.push((k.text.clone(), k.position, k.offset_from, k.offset_to));
        }
        out
    }
    let analyzer = |words: &[&str]| {
        let mut lex = Lexicon::default();
        for w in words {
            lex.add_text(w);
        }
        Analyzer::new(std::sync::Arc::new(lex))
    };
    let texts = ["Alkoholmisbrug og genoptræningsplan", "IV-behandling i hjemmet, rehabiliteringsforløb", "Ingen sammensatte ord"];
    let a = analyzer(&["misbrug", "plan", "behandling", "forløb", "træning"]);
    // Each text alone, with nothing kept on a fresh thread: the reference.
    let alone: Vec<_> = std::thread::scope(|s| {
        s.spawn(|| {
            let mut p = DanishTokenizer::new(a.clone(), Mode::Parts);
            texts.iter().map(|t| tokens(&mut p, t)).collect::<Vec<_>>()
        })
        .join()
        .unwrap()
    });
    assert!(alone[0].iter().any(|t| t.0 == "misbrug") && alone[1].iter().any(|t| t.0 == "forløb"), "{alone:?}");
    // Read for the main fields first, then for parts in another order: the
    // same tokens, whether kept or analysed anew.
    let mut main = DanishTokenizer::new(a.clone(), Mode::Main);
    let mut parts = DanishTokenizer::new(a.clone(), Mode::Parts);
    for t in texts {
        tokens(&mut main, t);
    }
    for k in [2, 0, 1, 0] {
        assert_eq!(tokens(&mut parts, texts[k]), alone[k], "{}", texts[k]);
    }
    // Another lexicon splits otherwise: what the first analyzer kept is not
    // taken for it.
    let b = analyzer(&[]);
    tokens(&mut main, texts[0]);
    let mut parts_b = DanishTokenizer::new(b.clone(), Mode::Parts);
    assert!(tokens(&mut parts_b, texts[0]).is_empty());
}

/// The word spans as first written, character by character: the byte-level
/// finder must agree.
fn words_reference(text: &str) -> Vec<(usize, usize)> {
    let mut out = vec![];
    let mut start: Option<usize> = None;
    let mut last_alnum_end = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_alphanumeric() || (start.is_some() && unicode_normalization::char::is_combining_mark(c)) {
            if start.is_none() {
                start = Some(i);
            }
            last_alnum_end = i + c.len_utf8();
        } else if c == '-' && start.is_some() && iter.peek().is_some_and(|(_, n)| n.is_alphanumeric()) {
        } else if let Some(s) = start.take() {
            out.push((s, last_alnum_end));
        }
    }
    out.extend(start.map(|s| (s, last_alnum_end)));
    out
}

proptest::proptest! {
    #[test]
    fn words_are_found_as_on_characters(text in "[aZ9æÅé\u{301}\u{663}ß×Σ -.,\n]{0,30}") {
        proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), words_reference(&text));
    }

    /// Taken by the shortcut for ASCII and U+00C0–U+00FF, a word is what
    /// NFKC and lower case make of it.
    #[test]
    fn a_word_is_normalized_as_nfkc_and_lower_case_make_it(w in "([a-zA-Z0-9]|[\u{c0}-\u{ff}]|[×÷ÆØÅæøåßÞþ]|[\u{a0}-\u{bf}]|[\u{100}-\u{17f}]|Σ|ﬁ){0,12}") {
        let mut out = String::from("left over");
        normalize_into(&w, &mut out);
        proptest::prop_assert_eq!(out, w.nfkc().collect::<String>().to_lowercase());
    }
}

#[test]
fn one_plain_letter_for_a_danish_one() {
    let v = crate::single_letter_stand_ins("borns");
    assert_eq!(v, vec!["børns".to_string()]);
    let v = crate::single_letter_stand_ins("gar");
    assert_eq!(v, vec!["går".to_string(), "gær".to_string()]);
    assert!(crate::single_letter_stand_ins("sundhed").contains(&"sundhæd".to_string()));
    assert!(crate::single_letter_stand_ins("psykisk").is_empty());
    assert!(crate::single_letter_stand_ins("aaaaaaaaaa").len() == 12, "six letters at most, two forms each");
}
