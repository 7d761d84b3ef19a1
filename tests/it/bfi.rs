//! canvass against R's psych on the bfi data (2,800 respondents, 25 six-point items, five
//! scales with reverse-keyed items, missing answers).
//!
//! The data ship in psychTools (GPL >= 2), so they are not committed: `.ci/run` exports them
//! with tests/reference/bfi.R to target/reference/bfi.csv when R and r-cran-psychtools can be
//! installed, and this test compares whenever the file is there (or CANVASS_BFI names it).
//! Every expected number below was printed by tests/reference/bfi.R (R 4.x, psych 2.2.9).

use crate::common::*;
use std::path::PathBuf;

fn data() -> Option<PathBuf> {
    let p = std::env::var_os("CANVASS_BFI")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/reference/bfi.csv"));
    p.exists().then_some(p)
}

/// The bfi data, or None (said, and a failure under CI where R could have exported it).
fn data_or_skip() -> Option<PathBuf> {
    let path = data();
    if path.is_none() {
        // CI installs R and exports the data (.ci/run); there, a missing file is a failure,
        // not a skip, unless R and psychTools could not be installed.
        let r_here = std::process::Command::new("Rscript")
            .args(["-e", "library(psych); library(psychTools)"])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            !(std::env::var_os("CI").is_some() && r_here),
            "R and psychTools are installed but bfi.csv was not exported: run tests/reference/bfi.R"
        );
        eprintln!("skipped: bfi.csv not exported (see tests/reference/bfi.R)");
    }
    path
}

/// A researcher's plain data without a survey file: the items named in `--scale` are rating
/// items on their observed range (1–6), whatever inference made of them. psych::alpha on A
/// (A1 reversed) printed by tests/reference/bfi.R: raw alpha 0.7030184461, standardised
/// 0.7130285787.
#[test]
fn named_items_score_without_a_survey_file_as_psych() {
    let Some(path) = data_or_skip() else { return };
    let o = canvass(&[
        "score",
        path.to_str().unwrap(),
        "--scale",
        "A=A1-,A2,A3,A4,A5",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let a = v["scales"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "A")
        .unwrap();
    assert!(
        (a["alpha"].as_f64().unwrap() - 0.703_018_446_1).abs() < 1e-4,
        "{a}"
    );
    assert!(
        (a["alpha_std"].as_f64().unwrap() - 0.713_028_578_7).abs() < 1e-4,
        "{a}"
    );
    // The top half of the six points agree: A1 4–6, as bfi.R's prop.test prints it.
    let a1 = &v["items"][0];
    assert_eq!(a1["column"], "A1");
    assert!(
        (a1["pct_agree"].as_f64().unwrap() - 23.060_344_827_6).abs() < 1e-6,
        "{a1}"
    );
}

#[test]
fn alpha_item_total_and_percentages_match_psych() {
    let Some(path) = data_or_skip() else { return };
    let survey = repo().join("tests/fixtures/bfi/survey.toml");
    let o = canvass(&[
        "score",
        path.to_str().unwrap(),
        "--survey",
        survey.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["respondents"], 2800);
    type Scale = (&'static str, f64, f64, f64, f64, [f64; 5], [f64; 5]);
    let expected: [Scale; 5] = [
        (
            "agree",
            0.703_018_446_1,
            0.713_028_578_7,
            0.685_264_325_9,
            0.720_063_389_9,
            [
                0.308_417_739_5,
                0.563_615_163_8,
                0.587_004_589_5,
                0.394_444_086_6,
                0.488_565_135_8,
            ],
            [
                0.718_517_357_0,
                0.617_180_037_0,
                0.600_259_578_8,
                0.685_805_652_3,
                0.642_952_960_1,
            ],
        ),
        (
            "conscientious",
            0.726_734_972_9,
            0.730_072_584_4,
            0.710_398_671_7,
            0.742_418_731_7,
            [
                0.450_241_690_2,
                0.504_564_708_9,
                0.464_204_850_0,
                0.552_546_650_3,
                0.477_469_199_3,
            ],
            [
                0.694_000_419_2,
                0.673_571_457_4,
                0.688_734_101_8,
                0.653_825_571_0,
                0.689_724_930_8,
            ],
        ),
        (
            "extraversion",
            0.761_732_820_3,
            0.761_795_094_1,
            0.747_488_756_7,
            0.775_407_914_4,
            [
                0.516_272_916_9,
                0.605_368_837_2,
                0.504_572_548_7,
                0.577_993_965_8,
                0.454_244_598_5,
            ],
            [
                0.725_654_718_5,
                0.690_180_375_3,
                0.727_914_188_7,
                0.701_888_496_6,
                0.743_632_732_3,
            ],
        ),
        (
            "neuroticism",
            0.813_962_949_9,
            0.814_674_674_2,
            0.802_841_302_5,
            0.824_640_350_7,
            [
                0.667_205_708_5,
                0.652_616_249_3,
                0.674_816_710_4,
                0.542_800_129_8,
                0.486_482_406_1,
            ],
            [
                0.758_137_913_9,
                0.763_232_651_9,
                0.755_342_806_0,
                0.795_349_908_8,
                0.812_602_178_3,
            ],
        ),
        (
            "openness",
            0.600_172_514_8,
            0.607_268_431_0,
            0.576_270_070_0,
            0.623_120_192_7,
            [
                0.390_679_429_9,
                0.332_119_544_9,
                0.450_534_238_3,
                0.217_942_690_5,
                0.416_210_506_0,
            ],
            [
                0.531_593_512_5,
                0.567_227_508_2,
                0.497_361_350_4,
                0.611_481_056_5,
                0.511_657_590_1,
            ],
        ),
    ];
    let close = |a: &serde_json::Value, b: f64, what: &str| {
        let a = a.as_f64().unwrap_or_else(|| panic!("{what} missing"));
        assert!((a - b).abs() < 1e-4, "{what}: {a} vs psych {b}");
    };
    for (name, alpha, std, lo, hi, r_drop, if_deleted) in expected {
        let s = v["scales"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap();
        close(&s["alpha"], alpha, name);
        close(&s["alpha_std"], std, name);
        close(&s["alpha_ci_low"], lo, name);
        close(&s["alpha_ci_high"], hi, name);
        for (i, item) in s["items"].as_array().unwrap().iter().enumerate() {
            close(&item["r_drop"], r_drop[i], &format!("{name} r.drop {i}"));
            close(
                &item["alpha_if_deleted"],
                if_deleted[i],
                &format!("{name} alpha.drop {i}"),
            );
        }
    }
    for (id, n, pct, lo, hi, mean, sd) in [
        (
            "A1",
            2784,
            23.060_344_827_6,
            21.533_438_213_0,
            24.661_493_523_4,
            2.413_433_908_0,
            1.407_737_150_5,
        ),
        (
            "O5",
            2780,
            22.482_014_388_5,
            20.968_761_617_4,
            24.071_212_007_9,
            2.489_568_345_3,
            1.327_959_022_1,
        ),
    ] {
        let it = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap();
        assert_eq!(it["n"], n);
        close(&it["pct_agree"], pct, id);
        close(&it["ci_low"], lo, id);
        close(&it["ci_high"], hi, id);
        close(&it["mean"], mean, id);
        close(&it["sd"], sd, id);
    }
}

/// The same plain file with no survey file and no `--scale`: `init` sees the 25 columns named
/// by a stem and a number (A1 … O5), all coded 1–6, as rating batteries, and drafts them as
/// items on that range with a scale per stem (commented out: keys are the researcher's call).
/// The run's A1 is the top half of the six points, as bfi.R's prop.test prints it (23.0603 %).
#[test]
fn init_drafts_a_numbered_battery_as_rating_items() {
    let Some(path) = data_or_skip() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&path, dir.path().join("bfi.csv")).unwrap();
    let o = canvass(&["init", dir.path().join("bfi.csv").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let draft = stdout(&o);
    assert_eq!(draft.matches("[[items]]").count(), 25, "{draft}");
    assert!(
        draft.contains("# name = \"A\"\n# items = [\"a1\", \"a2\", \"a3\", \"a4\", \"a5\"]"),
        "{draft}"
    );
    std::fs::write(dir.path().join("survey.toml"), &draft).unwrap();
    std::fs::write(
        dir.path().join("p.toml"),
        "name = \"bfi\"\nsurvey = \"survey.toml\"\noutput = \"out\"\n[[waves]]\nname = \"w1\"\nexport = \"bfi.csv\"\n",
    )
    .unwrap();
    let o = canvass(&[
        "run",
        dir.path().join("p.toml").to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (header, rows) = read_csv(&dir.path().join("out/w1/items.csv"));
    let pct = header.iter().position(|h| h == "pct_agree").unwrap();
    let a1 = row_by(&rows, 0, "a1");
    close(&a1[pct], 23.060_344_827_6, 1e-3);
}
