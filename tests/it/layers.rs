//! The layers of ARCHITECTURE.md, enforced: a module may use only modules of a lower layer.
//!
//! Every `crate::…` path in the library (imports and inline paths alike) is read with `syn`
//! from the module tree as `lib.rs` declares it. `#[cfg(test)]` modules are skipped: a test
//! may set up its fixture with a higher stage (a feed test builds a whole site). An upward
//! or sideways path fails with the file, the line and the two layers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// Each top-level module and its layer, lowest first. A module may use modules of a strictly
/// lower layer only, so modules of one layer are independent of each other.
const LAYERS: &[(&str, &[&str])] = &[
    ("packed", &["packed"]),
    (
        "foundations",
        &[
            "allocator",
            "diagnostic",
            "fingerprint",
            "slug",
            "urls",
            "output",
            "atomic",
            "syntax_themes",
            "smart",
        ],
    ),
    ("images", &["images"]),
    ("yaml", &["yaml"]),
    ("config", &["config"]),
    ("markdown", &["markdown"]),
    ("worksheet", &["worksheet"]),
    ("load", &["load"]),
    ("theme", &["theme"]),
    ("components", &["components"]),
    ("model", &["model"]),
    ("cards, write, search", &["cards", "write", "search"]),
    ("render", &["render"]),
    ("build", &["build"]),
    (
        "serve, linkcheck, scaffold",
        &["serve", "linkcheck", "scaffold"],
    ),
    ("import", &["import"]),
    ("cli", &["cli"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

/// One `crate::<module>` path written in `file` at `line`.
#[derive(Debug)]
struct Use {
    file: PathBuf,
    line: usize,
    target: String,
}

/// Collects the first segment after `crate` of every path and `use` tree.
struct CratePaths<'a> {
    file: &'a Path,
    found: Vec<Use>,
    /// Files of `mod x;` declarations met on the way (not `#[cfg(test)]`).
    children: Vec<String>,
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string().split_whitespace().any(|t| t == "test"))
    })
}

impl CratePaths<'_> {
    fn push(&mut self, ident: &syn::Ident) {
        self.found.push(Use {
            file: self.file.to_path_buf(),
            line: ident.span().start().line,
            target: ident.to_string(),
        });
    }

    fn use_tree(&mut self, tree: &syn::UseTree, after_crate: bool) {
        match tree {
            syn::UseTree::Path(p) if after_crate => self.push(&p.ident),
            syn::UseTree::Path(p) if p.ident == "crate" => self.use_tree(&p.tree, true),
            syn::UseTree::Name(n) if after_crate => self.push(&n.ident),
            syn::UseTree::Rename(r) if after_crate => self.push(&r.ident),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_tree(t, after_crate)),
            _ => {}
        }
    }
}

impl<'ast> Visit<'ast> for CratePaths<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if is_cfg_test(&m.attrs) {
            return;
        }
        if m.content.is_none() {
            self.children.push(m.ident.to_string());
        }
        syn::visit::visit_item_mod(self, m);
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        if !is_cfg_test(&u.attrs) {
            self.use_tree(&u.tree, false);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_cfg_test(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let mut segments = path.segments.iter();
        if let (Some(first), Some(second)) = (segments.next(), segments.next())
            && first.ident == "crate"
        {
            self.push(&second.ident);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // Paths inside macro arguments (`matches!(x, crate::a::B)`) are tokens, not paths.
        let text = mac.tokens.to_string();
        for (at, _) in text.match_indices("crate :: ") {
            let module: String = text[at + 9..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !module.is_empty() {
                self.found.push(Use {
                    file: self.file.to_path_buf(),
                    line: mac.path.segments[0].ident.span().start().line,
                    target: module,
                });
            }
        }
        syn::visit::visit_macro(self, mac);
    }
}

/// The `crate::` paths of the module in `file` and of its non-test submodules, by top-level
/// module (`top`).
fn collect(file: &Path, dir_of_children: &Path, top: &str, out: &mut BTreeMap<String, Vec<Use>>) {
    let source =
        std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let syntax = syn::parse_file(&source).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut visitor = CratePaths {
        file,
        found: Vec::new(),
        children: Vec::new(),
    };
    visitor.visit_file(&syntax);
    out.entry(top.to_string())
        .or_default()
        .extend(visitor.found);
    for child in visitor.children {
        let flat = dir_of_children.join(format!("{child}.rs"));
        let nested = dir_of_children.join(&child).join("mod.rs");
        let (path, grandchildren) = if flat.exists() {
            (flat, dir_of_children.join(&child))
        } else {
            (nested, dir_of_children.join(&child))
        };
        let top = if top.is_empty() { child.as_str() } else { top };
        collect(&path, &grandchildren, top, out);
    }
}

/// Every upward or sideways `crate::` path of the tree rooted at `lib`, as messages.
fn violations(lib: &Path) -> Vec<String> {
    let mut uses = BTreeMap::new();
    collect(lib, lib.parent().unwrap(), "", &mut uses);
    let mut problems = Vec::new();
    for (module, found) in &uses {
        if module.is_empty() {
            continue; // lib.rs itself: the facade re-exports from every layer.
        }
        let Some(own) = layer_of(module) else {
            problems.push(format!("module `{module}` has no layer: add it to LAYERS"));
            continue;
        };
        for u in found {
            if &u.target == module {
                continue;
            }
            let Some(target) = layer_of(&u.target) else {
                continue; // an item of lib.rs itself, not a module
            };
            if target >= own {
                problems.push(format!(
                    "{}:{}: `{module}` (layer {}) uses `crate::{}` (layer {}): a module may \
                     use only lower layers",
                    u.file.display(),
                    u.line,
                    LAYERS[own].0,
                    u.target,
                    LAYERS[target].0,
                ));
            }
        }
    }
    problems
}

#[test]
fn no_module_uses_a_higher_or_sibling_layer() {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs");
    let problems = violations(&lib);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn one_upward_import_is_caught_wherever_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::write(
        src.join("lib.rs"),
        "pub mod config;\npub mod render;\npub mod slug;\n",
    )
    .unwrap();
    std::fs::write(src.join("slug.rs"), "pub fn slugify() {}\n").unwrap();
    std::fs::create_dir(src.join("render")).unwrap();
    std::fs::write(
        src.join("render/mod.rs"),
        "use crate::{config::X, slug};\nmod inner;\n",
    )
    .unwrap();
    std::fs::write(
        src.join("render/inner.rs"),
        "fn f() { crate::slug::slugify(); }\n",
    )
    .unwrap();
    let clean = "use crate::slug::slugify;\n#[cfg(test)]\nmod tests { use crate::render::X; }\n";
    std::fs::write(src.join("config.rs"), clean).unwrap();
    assert_eq!(violations(&src.join("lib.rs")), Vec::<String>::new());

    for upward in [
        "use crate::render::Renderer;\n",
        "use crate::{slug, render::Renderer};\n",
        "fn f() { let _ = crate::render::html_path(\"/\"); }\n",
        "fn f() -> bool { matches!(1, crate::render::ONE) }\n",
        "mod deeper { use crate::render as r; }\n",
    ] {
        std::fs::write(src.join("config.rs"), format!("{clean}{upward}")).unwrap();
        let found = violations(&src.join("lib.rs"));
        assert_eq!(found.len(), 1, "{upward}: {found:?}");
        assert!(found[0].contains("config.rs:"), "{}", found[0]);
        assert!(found[0].contains("uses `crate::render`"), "{}", found[0]);
    }
}
