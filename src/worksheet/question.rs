//! The question model: what a ```` ```worksheet ```` block holds once parsed and checked.

/// The question types of DESIGN section 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QType {
    Single,
    Multi,
    Scale,
    Number,
    Text,
    Textarea,
    Rank,
    Checklist,
}

/// Keys every question takes.
pub(super) const COMMON_KEYS: [&str; 4] = ["id", "type", "prompt", "share"];

/// Every key some question type takes.
pub(super) const ALL_KEYS: [&str; 13] = [
    "id",
    "type",
    "prompt",
    "share",
    "options",
    "correct",
    "explain",
    "min",
    "max",
    "step",
    "scale",
    "score",
    "max_length",
];

impl QType {
    pub(crate) const ALL: [QType; 8] = [
        QType::Single,
        QType::Multi,
        QType::Scale,
        QType::Number,
        QType::Text,
        QType::Textarea,
        QType::Rank,
        QType::Checklist,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            QType::Single => "single",
            QType::Multi => "multi",
            QType::Scale => "scale",
            QType::Number => "number",
            QType::Text => "text",
            QType::Textarea => "textarea",
            QType::Rank => "rank",
            QType::Checklist => "checklist",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<QType> {
        QType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Types whose answers are chosen from `options`.
    pub(crate) fn has_options(self) -> bool {
        matches!(
            self,
            QType::Single | QType::Multi | QType::Rank | QType::Checklist
        )
    }

    /// Types that may have `correct` (and `explain`).
    pub(crate) fn can_be_correct(self) -> bool {
        matches!(self, QType::Single | QType::Multi | QType::Checklist)
    }

    /// Keys this type takes besides [`COMMON_KEYS`].
    pub(crate) fn own_keys(self) -> &'static [&'static str] {
        match self {
            QType::Single | QType::Checklist => &["options", "correct", "explain"],
            QType::Multi => &["options", "min", "max", "correct", "explain"],
            QType::Rank => &["options"],
            QType::Scale => &["scale", "score"],
            QType::Number => &["min", "max", "step", "score"],
            QType::Text | QType::Textarea => &["max_length"],
        }
    }

    pub(crate) fn allows(self, key: &str) -> bool {
        COMMON_KEYS.contains(&key) || self.own_keys().contains(&key)
    }

    /// `max_length` when none is given.
    pub(crate) fn default_max_length(self) -> Option<u32> {
        match self {
            QType::Text => Some(120),
            QType::Textarea => Some(280),
            _ => None,
        }
    }
}

/// A score: per dimension in a `by: top` worksheet, one number in a `by: bands` one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Score {
    Dims(Vec<(String, f64)>),
    Total(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Opt {
    pub id: String,
    /// Plain text (escaped when rendered).
    pub label: String,
    pub score: Option<Score>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Question {
    pub id: String,
    pub kind: QType,
    /// The prompt rendered to phrasing HTML (checked to be one paragraph when parsed).
    pub prompt_html: String,
    pub share: bool,
    /// Choice types only.
    pub options: Vec<Opt>,
    /// Option ids: one for `single`, any number for `multi`/`checklist`.
    pub correct: Option<Vec<String>>,
    /// Markdown; only with `correct`.
    pub explain: Option<String>,
    /// `multi`: how many may be chosen; `number`: value range; `scale`: the scale's ends.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// `number` only.
    pub step: Option<f64>,
    /// `scale` only.
    pub min_label: Option<String>,
    pub max_label: Option<String>,
    /// `text`/`textarea`: given or the default.
    pub max_length: Option<u32>,
    /// `scale`/`number`: a weight multiplied by the value.
    pub score: Option<Score>,
}

impl Question {
    /// The values of a scale question, lowest first.
    pub(crate) fn scale_values(&self) -> Vec<i64> {
        match (self.kind, self.min, self.max) {
            (QType::Scale, Some(min), Some(max)) => (min as i64..=max as i64).collect(),
            _ => Vec::new(),
        }
    }
}
