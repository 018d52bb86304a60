//! Vietnamese collation, as the issue and DOMAIN.md require.

use danvan_core::province::{MERGER_DATE, registry};
use danvan_core::text::{compare, sort_by_key};

#[test]
fn pairs_from_the_domain_notes() {
    for (a, b) in [
        ("Cao Bằng", "Cần Thơ"),
        ("Lạng Sơn", "Lâm Đồng"),
        ("Đà Nẵng", "Điện Biên"),
        ("Điện Biên", "Gia Lai"),
        ("Đồng Tháp", "Gia Lai"),
        // A code-point sort puts Đ after Z; Vietnamese order puts it between D and E.
        ("Đà Nẵng", "Zô"),
        ("Dương", "Đà"),
    ] {
        assert!(compare(a, b).is_lt(), "{a} < {b}");
    }
}

#[test]
fn the_34_provinces_in_vietnamese_order() {
    let mut names: Vec<&str> = registry().valid_at(MERGER_DATE).map(|p| p.name).collect();
    sort_by_key(&mut names, |s| s);
    insta::assert_snapshot!(names.join(", "), @"An Giang, Bắc Ninh, Cà Mau, Cao Bằng, Cần Thơ, Đà Nẵng, Đắk Lắk, Điện Biên, Đồng Nai, Đồng Tháp, Gia Lai, Hà Nội, Hà Tĩnh, Hải Phòng, Hồ Chí Minh, Huế, Hưng Yên, Khánh Hòa, Lai Châu, Lạng Sơn, Lào Cai, Lâm Đồng, Nghệ An, Ninh Bình, Phú Thọ, Quảng Ngãi, Quảng Ninh, Quảng Trị, Sơn La, Tây Ninh, Thái Nguyên, Thanh Hóa, Tuyên Quang, Vĩnh Long");
}
