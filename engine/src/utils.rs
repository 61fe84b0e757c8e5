//! Spark core's `Utils` helpers that shape what lands in the pods.

/// `Utils.substituteAppNExecIds`: replaces `{{APP_ID}}` and `{{EXECUTOR_ID}}`.
pub fn substitute_ids(value: &str, app_id: &str, executor_id: &str) -> String {
    value
        .replace("{{APP_ID}}", app_id)
        .replace("{{EXECUTOR_ID}}", executor_id)
}

/// Spark's `Utils.isSpace`.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// `Utils.splitCommandString`: splits on white space (only space, tab, CR and LF: Spark's
/// `isSpace`), honouring single and double quotes and backslash escapes inside double quotes.
pub fn split_command_string(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut in_word, mut in_single, mut in_double) = (false, false, false);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if in_double {
            match c {
                '"' => in_double = false,
                '\\' => {
                    if let Some(next) = chars.next() {
                        word.push(next);
                    }
                }
                _ => word.push(c),
            }
        } else if in_single {
            if c == '\'' {
                in_single = false;
            } else {
                word.push(c);
            }
        } else if c == '"' {
            in_word = true;
            in_double = true;
        } else if c == '\'' {
            in_word = true;
            in_single = true;
        } else if !is_space(c) {
            word.push(c);
            in_word = true;
        } else if in_word {
            words.push(std::mem::take(&mut word));
            in_word = false;
        }
    }
    if in_word || in_double || in_single {
        words.push(word);
    }
    words
}
