//! The messages of `danvan_entry` (how a typed value is read: "is not a date; write it as
//! 22/6/2023 …") in Vietnamese, phrase by phrase: they are built in English from the value
//! typed and its examples, which stay as they are. The catalogue's own messages are Fluent
//! ([`crate::text`]); this table is for the phrases of those older messages until they are
//! typed.

use crate::Lang;

/// Vietnamese for the phrases of `danvan_entry`'s messages, in the order they are replaced
/// (a longer phrase before one it holds).
const PHRASES: &[(&str, &str)] = &[
    // Flags' own readers (clap value parsers).
    (
        "is not a span: use e.g.",
        "không phải là khoảng thời gian: hãy viết như",
    ),
    (
        "is neither vi (Vietnamese) nor en (English)",
        "không phải vi (tiếng Việt) hay en (tiếng Anh)",
    ),
    // The record rules of danvan_core::validate.
    ("must not be empty", "không được để trống"),
    (
        "a numerator needs a denominator",
        "có tử số thì phải có mẫu số",
    ),
    (
        "a denominator needs a numerator",
        "có mẫu số thì phải có tử số",
    ),
    (" is greater than the denominator ", " lớn hơn mẫu số "),
    ("numerator ", "tử số "),
    ("must be at least 1", "phải từ 1 trở lên"),
    (
        "a count of points or delegates is at least 1",
        "số điểm cầu hoặc số đại biểu phải từ 1 trở lên",
    ),
    (
        "a directive cannot relate to itself",
        "văn bản không thể liên quan đến chính nó",
    ),
    (
        "a directive cannot supersede itself",
        "văn bản không thể thay thế chính nó",
    ),
    (
        "a directive review should name the directives it reviews",
        "hội nghị sơ kết, tổng kết văn bản cần ghi các văn bản được sơ kết, tổng kết",
    ),
    (
        "a document with neither number nor ordinal is known by its title",
        "văn bản không có số hiệu thì cần ghi trích yếu",
    ),
    (
        "a document's number is 1 or more",
        "số của văn bản phải từ 1 trở lên",
    ),
    (
        "a six-month review should name the period it reviews",
        "hội nghị sơ kết 6 tháng cần ghi kỳ được sơ kết",
    ),
    (
        "a six-month review reviews a half year, not ",
        "hội nghị sơ kết 6 tháng sơ kết một nửa năm, không phải ",
    ),
    (
        "a source needs at least one of title, publisher, site or url",
        "nguồn cần có ít nhất tiêu đề, cơ quan đăng, trang tin hoặc địa chỉ",
    ),
    (
        "a step is dated before the one it follows",
        "một bước xử lý có thời gian trước bước liền trước",
    ),
    (
        "a unit cannot be its own parent",
        "đơn vị không thể là đơn vị cấp trên của chính nó",
    ),
    (
        "a unit's figure names the province the unit belongs to",
        "số liệu của đơn vị phải ghi tỉnh, thành phố mà đơn vị trực thuộc",
    ),
    (
        "an award goes to at least one collective or individual",
        "khen thưởng phải có ít nhất một tập thể hoặc cá nhân",
    ),
    (
        "an award of another form is named by its title",
        "hình thức khen thưởng khác cần ghi tên",
    ),
    (
        "an in-person conference has no connection points",
        "hội nghị trực tiếp không có điểm cầu",
    ),
    (
        "must count at least one collective or individual",
        "phải có ít nhất một tập thể hoặc cá nhân",
    ),
    (
        "must name at least one kind of conference",
        "phải có ít nhất một loại hội nghị",
    ),
    (
        "name who held the review or the evidence for it (a conference, a document or a source)",
        "hãy ghi cơ quan tổ chức sơ kết, tổng kết hoặc căn cứ (hội nghị, văn bản hoặc nguồn tin)",
    ),
    (
        "neither the form, the title nor the decision of the award is recorded",
        "chưa ghi hình thức, tên hay quyết định khen thưởng",
    ),
    (
        "no recipient is recorded: a count, names, or that there were many",
        "chưa ghi đối tượng được khen thưởng: số lượng, tên, hoặc ghi là nhiều",
    ),
    (
        "only a superseded directive names a replacement",
        "chỉ văn bản đã được thay thế mới ghi văn bản thay thế",
    ),
    (
        "status is superseded but no replacing directive is named",
        "trạng thái là đã được thay thế nhưng chưa ghi văn bản thay thế",
    ),
    (
        "say when the review was held (a day, or the month, half-year or year), name the conference that held it, or say that the date is not known",
        "hãy ghi thời gian tổ chức sơ kết, tổng kết (ngày, hoặc tháng, 6 tháng, năm), hội nghị đã tổ chức, hoặc ghi rõ là không rõ ngày",
    ),
    (
        "the date is said to be unknown but the review is dated (by `on` or its conference)",
        "đã ghi là không rõ ngày nhưng mốc sơ kết, tổng kết lại có ngày (theo ngày tổ chức hoặc hội nghị)",
    ),
    (
        "the form asks for no such section",
        "biểu mẫu không có mục này",
    ),
    (
        "a SHA-256 is 64 hexadecimal digits",
        "mã SHA-256 gồm 64 chữ số thập lục phân",
    ),
    (
        "a key is lowercase letters, digits and '-'",
        "mã mục chỉ gồm chữ thường, chữ số và dấu '-'",
    ),
    (
        "due more than 180 days from the period's end",
        "hạn gửi cách ngày cuối kỳ hơn 180 ngày",
    ),
    (", which does not exist", ", bản ghi này không tồn tại"),
    // A reference names the kind referred to (`danvan_core::dataset::check_references`).
    ("refers to directive ", "tham chiếu tới văn bản chỉ đạo "),
    ("refers to conference ", "tham chiếu tới hội nghị "),
    ("refers to model ", "tham chiếu tới mô hình "),
    ("refers to indicator ", "tham chiếu tới chỉ tiêu "),
    ("refers to observation ", "tham chiếu tới số liệu "),
    ("refers to unit ", "tham chiếu tới đơn vị báo cáo "),
    ("refers to award ", "tham chiếu tới khen thưởng "),
    ("refers to form ", "tham chiếu tới biểu mẫu "),
    (
        "refers to submission ",
        "tham chiếu tới báo cáo của đơn vị ",
    ),
    ("refers to target ", "tham chiếu tới mục tiêu "),
    ("refers to ", "tham chiếu tới "),
    (
        " is before the directive was issued (",
        " trước ngày ban hành văn bản (",
    ),
    (
        ", before the directive was issued (",
        ", trước ngày ban hành văn bản (",
    ),
    (" before it starts (", " trước ngày bắt đầu ("),
    ("ends (", "kết thúc ("),
    ("stated percentage ", "tỷ lệ công bố "),
    (" is outside 0–100", " nằm ngoài khoảng 0–100"),
    ("percentage ", "tỷ lệ "),
    (
        " does not match the computed ",
        " không khớp với tỷ lệ tính được ",
    ),
    (" does not match the value ", " không khớp với giá trị "),
    ("stated ", "tỷ lệ công bố "),
    (" already holds the figure for ", " đã có số liệu cho "),
    ("; update ", "; hãy sửa "),
    (" to replace it", " để thay thế"),
    (" needs a value", " cần có giá trị"),
    (" is out of range", " nằm ngoài khoảng cho phép"),
    // The registry of reporting units (danvan_core::unit).
    (
        " is not a registered unit of ",
        " không có trong danh sách đơn vị báo cáo của ",
    ),
    ("; did you mean ", "; có phải là "),
    (
        "; add it to the registry first",
        "; hãy thêm đơn vị vào danh sách đơn vị báo cáo trước",
    ),
    (
        " is already registered as unit ",
        " đã có trong danh sách là đơn vị ",
    ),
    (
        " for some of the same days; give one unit one record, with other names as aliases",
        " trong cùng thời gian; mỗi đơn vị chỉ có một bản ghi, các tên gọi khác ghi ở mục Tên khác",
    ),
    // What an upload may hold (danvan_entry::Exceeded), each phrase between its numbers.
    (
        "the workbook would take more than ",
        "bảng tính khi mở ra sẽ chiếm hơn ",
    ),
    (
        " MB once opened: it is not a table of records as Excel or LibreOffice saves one; save the sheets again, or split the file",
        " MB: đây không phải là một bảng số liệu như Excel hay LibreOffice lưu; hãy lưu lại các trang tính, hoặc chia nhỏ tệp",
    ),
    ("the file holds more than ", "tệp có hơn "),
    (
        " rows of data: split it into smaller files",
        " hàng số liệu: hãy chia thành các tệp nhỏ hơn",
    ),
    ("the CSV file", "tệp CSV"),
    (": its cells span ", ": các ô có dữ liệu trải trên "),
    (" rows by ", " hàng × "),
    (" columns, more than the ", " cột, nhiều hơn "),
    (
        " cells a file may hold: delete the stray cells far from the table, or split the file",
        " ô mà một tệp được phép có: hãy xóa các ô lạc xa bảng, hoặc chia nhỏ tệp",
    ),
    (
        "the workbook's table of shared strings holds more than ",
        "bảng chuỗi dùng chung của bảng tính có hơn ",
    ),
    (
        " entries: it is not a table of records as Excel or LibreOffice saves one; save it again, or split the file",
        " mục: đây không phải là một bảng số liệu như Excel hay LibreOffice lưu; hãy lưu lại, hoặc chia nhỏ tệp",
    ),
    (
        "a binary workbook (Excel 97–2003 .xls, or .xlsb) cannot be checked before it is opened: save it as an Excel workbook (.xlsx) and send that",
        "không thể kiểm tra bảng tính nhị phân (Excel 97–2003 .xls, hoặc .xlsb) trước khi mở: hãy lưu thành tệp Excel Workbook (.xlsx) rồi gửi tệp đó",
    ),
    (
        "reading the file was stopped before it ended (it took too long)",
        "việc đọc tệp đã dừng giữa chừng (mất quá nhiều thời gian)",
    ),
    (
        "not a workbook Excel or LibreOffice can open",
        "không phải là bảng tính Excel hay LibreOffice mở được",
    ),
    (
        "is not a province; write its name (Thái Nguyên), slug (thai-nguyen) or code (19)",
        "không phải là tỉnh, thành phố; hãy viết tên (Thái Nguyên), mã chữ (thai-nguyen) hoặc mã số (19)",
    ),
    (
        "is not an ID: lowercase letters, digits, '-', '_' and '.', e.g.",
        "không phải là mã hợp lệ (chỉ gồm chữ thường không dấu, chữ số, '-', '_' và '.'), ví dụ",
    ),
    (
        "(the label, a colon, the year or period it is due)",
        "(tên mốc, dấu hai chấm, rồi năm hoặc kỳ đến hạn)",
    ),
    (
        "— choose online or hybrid for connection points",
        "— hãy chọn hình thức trực tuyến hoặc kết hợp để ghi số điểm cầu",
    ),
    (
        "is not a number of connection points",
        "không phải là số điểm cầu",
    ),
    (
        "names no document number; write it as",
        "không có số, ký hiệu văn bản; hãy viết như",
    ),
    (
        "is not a document type; write it as",
        "không phải là loại văn bản; hãy viết như",
    ),
    (
        "is not a document citation",
        "không phải là trích dẫn văn bản",
    ),
    (
        "is not a document number; write it as",
        "không phải là số, ký hiệu văn bản; hãy viết như",
    ),
    (
        "is not a whole number; write it as",
        "không phải là số nguyên; hãy viết như",
    ),
    (
        "is not a number; write it as",
        "không phải là số; hãy viết như",
    ),
    (
        "is not a figure; write it as",
        "không phải là số liệu; hãy viết như",
    ),
    (
        "is not a date; write it as",
        "không phải là ngày; hãy viết như",
    ),
    (
        "has no year; write the year (14/3/2025) and, when the text does not state it, mark it as inferred:",
        "không có năm; hãy ghi năm (14/3/2025) và, khi văn bản không nêu năm, đánh dấu ở mục Giá trị suy ra:",
    ),
    (
        "is not a year; write it as",
        "không phải là năm; hãy viết như",
    ),
    (
        "is not a period; write it as",
        "không phải là kỳ; hãy viết như",
    ),
    (
        "is not an award; write it as",
        "không phải là hình thức khen thưởng; hãy viết như",
    ),
    (
        "is not a phase; write it as",
        "không phải là giai đoạn; hãy viết như",
    ),
    (
        "is not a review; write it as",
        "không phải là mốc sơ kết, tổng kết; hãy viết như",
    ),
    (
        "is not a day or a period; write it as",
        "không phải là ngày hoặc kỳ; hãy viết như",
    ),
    (
        "is needed (or --conference): when was it held?",
        "cần ghi (hoặc mã hội nghị): tổ chức khi nào?",
    ),
    (
        "the file is neither a PDF nor a DOCX: attach the signed report as PDF or DOCX",
        "tệp không phải PDF hay DOCX: hãy đính kèm báo cáo đã ký dạng PDF hoặc DOCX",
    ),
    (
        "the report is sent: the board returns it before its original changes",
        "báo cáo đã gửi: Ban trả lại thì mới thay được bản gốc",
    ),
    (
        "the report is sent: the board returns it before its figures change",
        "báo cáo đã gửi: Ban trả lại thì mới sửa được số liệu",
    ),
    (
        "the report's form does not ask this indicator",
        "biểu mẫu của báo cáo không có chỉ tiêu này",
    ),
    (
        "the file is empty or larger than 16 MiB",
        "tệp rỗng hoặc lớn hơn 16 MiB",
    ),
    ("no figure entered for", "chưa nhập số liệu"),
    ("locked: submission", "đã khóa: báo cáo"),
    (", period ", ", kỳ "),
    (", approved by ", ", đã được duyệt bởi "),
    (
        "an approver must unlock it (with a reason) first",
        "cần người duyệt mở khóa (ghi lý do) trước khi sửa",
    ),
    ("is not written", "chưa được viết"),
    ("the section", "mục"),
    (
        "say why: a return names what to fix, an unlock why it is reopened",
        "cần ghi lý do: trả lại thì nêu việc cần sửa, mở khóa thì nêu vì sao",
    ),
    (
        "warnings remain: send them with an explanation",
        "còn cảnh báo: hãy gửi kèm giải trình",
    ),
    (
        "this unit's submission of the form for the period is already begun",
        "báo cáo của đơn vị theo biểu mẫu này cho kỳ này đã được tạo",
    ),
    ("is not one of:", "không thuộc các giá trị:"),
    (
        "Paste the text of an article or a report first.",
        "Hãy dán nội dung bài báo hoặc báo cáo trước.",
    ),
    ("is not true or false", "không phải là có hoặc không"),
    ("write it as", "hãy viết như"),
    ("is required", "cần ghi"),
    ("(e.g. ", "(ví dụ "),
    (", e.g. ", ", ví dụ "),
    (" or ", " hoặc "),
];

/// `text`, a message of `danvan_entry`, in `lang`: Vietnamese phrase by phrase (what was typed
/// and the examples stay as they are).
pub fn phrases(text: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (en, vi) in PHRASES {
        out = out.replace(en, vi);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_rules_read_in_vietnamese() {
        let vi = |m: &str| phrases(m, Lang::Vi);
        assert_eq!(vi("must not be empty"), "không được để trống");
        assert_eq!(
            vi("numerator 25 is greater than the denominator 20"),
            "tử số 25 lớn hơn mẫu số 20"
        );
        assert_eq!(
            vi("a numerator needs a denominator"),
            "có tử số thì phải có mẫu số"
        );
        assert_eq!(
            vi("refers to directive tw-1, which does not exist"),
            "tham chiếu tới văn bản chỉ đạo tw-1, bản ghi này không tồn tại"
        );
        assert_eq!(phrases("must not be empty", Lang::En), "must not be empty");
    }
}
