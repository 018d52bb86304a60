//! What every backend shares, outside any storage format: the in-memory indexes of the records
//! (`state`), queries over them (`query`), the planning of a batch — validation, expected
//! revisions, references and cascades (`plan`) — and the effects a committed batch has
//! (`effect`). The JSON store keeps them over its files; the in-memory store is them alone.

pub(crate) mod effect;
pub(crate) mod feed;
pub(crate) mod plan;
pub(crate) mod query;
pub(crate) mod reads;
pub(crate) mod state;
