// module.cpp - spm._spm, the compiled core of the Python package: the C++ API bound with
// pybind11. The pure-Python package `spm` (python/spm/) re-exports it and adds DataFrames, rich
// display and plots; methods that return DataFrames or HTML are thin forwards into those
// modules, so that one class carries the whole API and the stub (_spm.pyi) describes it.
//
// Conventions:
// - Entity kinds, statuses, methods and trends are strings ("goal", "green", "up"), references
//   are (kind, id) tuples, periods and columns are their labels ("2026-03", "2026-YTD-05").
// - spm::Error becomes an instance of one class of the exception table below, with `.code` and
//   `.issues`.
// - Loading, compiling, scoring and attribution run on a worker thread while the calling thread
//   waits without the GIL and polls for signals: Ctrl-C raises KeyboardInterrupt at once. The
//   worker owns (shared) everything it reads; an edit of a model still being read by a worker
//   that was interrupted waits for that worker to finish.
// - Arrays out are read-only numpy views of the C++ storage whose base is the owning object.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "spm/spm.hpp"

namespace py = pybind11;
using namespace spm;

namespace {

// ---- small conversions ----------------------------------------------------------------------

EntityKind kind_from(const std::string& name) {
  if (auto k = parse_entity_kind(name)) return *k;
  // Plural names are accepted too ("goals"), since DataFrames are keyed by them.
  for (int i = 0; i < entity_kind_count; ++i) {
    const auto k = static_cast<EntityKind>(i);
    if (name == plural_name(k)) return k;
  }
  throw Error(ErrorCode::invalid_argument, "unknown entity kind '" + name + "'");
}

using PyRef = std::tuple<std::string, std::string>;
PyRef ref_out(const Ref& r) {
  return {to_string(r.kind), r.id};
}

std::vector<Span> spans_from(const std::vector<std::string>& labels) {
  std::vector<Span> out;
  out.reserve(labels.size());
  for (const std::string& l : labels) out.push_back(Span::parse(l));
  return out;
}

/// Calls f.template operator()<T>() with T the entity type of `kind`.
template <class F>
decltype(auto) visit_kind(EntityKind kind, F&& f) {
  switch (kind) {
#define SPM_CASE(K, T) \
  case EntityKind::K:  \
    return f.template operator()<T>();
    SPM_CASE(value, Value)
    SPM_CASE(perspective, Perspective)
    SPM_CASE(function, Function)
    SPM_CASE(division, Division)
    SPM_CASE(unit, Unit)
    SPM_CASE(team, Team)
    SPM_CASE(employee, Employee)
    SPM_CASE(goal, Goal)
    SPM_CASE(strategy, Strategy)
    SPM_CASE(measure, Measure)
    SPM_CASE(milestone, Milestone)
    SPM_CASE(action, Action)
    SPM_CASE(objective, Objective)
    SPM_CASE(competency, Competency)
    SPM_CASE(review_cycle, ReviewCycle)
    SPM_CASE(review, Review)
    SPM_CASE(self_assessment, SelfAssessment)
    SPM_CASE(feedback, Feedback)
    SPM_CASE(check_in, CheckIn)
    SPM_CASE(budget, Budget)
#undef SPM_CASE
  }
  throw Error(ErrorCode::internal, "unknown entity kind");
}

// ---- the exception table --------------------------------------------------------------------

struct ErrorClass {
  ErrorCode code;
  const char* key;  // the code's identifier, Python's `.code`
  const char* name;
  PyObject* builtin;  // the built-in exception the class also derives from, or null
  const char* doc;
};

std::vector<ErrorClass> error_table() {
  return {
      {ErrorCode::invalid_argument, "invalid_argument", "InvalidArgumentError", PyExc_ValueError,
       "A value out of its domain: a malformed id, period or date, a bad option."},
      {ErrorCode::not_found, "not_found", "NotFoundError", PyExc_KeyError,
       "An id that names no entity of that kind."},
      {ErrorCode::duplicate, "duplicate", "DuplicateError", PyExc_ValueError,
       "An id already taken within its kind."},
      {ErrorCode::validation, "validation", "ValidationError", PyExc_ValueError,
       "The model, or an edit to it, breaks one or more rules (see .issues)."},
      {ErrorCode::parse, "parse", "ParseError", PyExc_ValueError,
       "A document that is not well-formed JSON or CSV, or has the wrong shape (see .issues)."},
      {ErrorCode::io, "io", "FileError", PyExc_OSError, "A file that cannot be read or written."},
      {ErrorCode::unsupported, "unsupported", "UnsupportedError", PyExc_ValueError,
       "An unknown format version or feature."},
      {ErrorCode::stale, "stale", "StaleError", PyExc_RuntimeError,
       "A result used after the model it came from changed: compile or evaluate again."},
      {ErrorCode::cycle, "cycle", "CycleError", PyExc_ValueError,
       "A cycle in the cascade or in the reporting lines."},
      {ErrorCode::internal, "internal", "InternalError", PyExc_RuntimeError,
       "A bug in spm; please report it."},
  };
}

// Owned by the module (kept alive by its attributes); borrowed here for the translator.
PyObject* g_error_base = nullptr;
std::vector<std::pair<ErrorCode, PyObject*>> g_error_classes;

const char* error_key(ErrorCode code) {
  for (const ErrorClass& ec : error_table())
    if (ec.code == code) return ec.key;
  return "internal";
}

[[noreturn]] void raise_error_code(int code, const std::string& message) {
  throw Error(static_cast<ErrorCode>(code), message);
}

void set_python_error(const Error& e) {
  PyObject* cls = g_error_base;
  for (const auto& [code, c] : g_error_classes)
    if (code == e.code()) cls = c;
  py::object type = py::reinterpret_borrow<py::object>(cls);
  py::object instance = type(py::str(e.what()));
  instance.attr("code") = py::str(error_key(e.code()));
  instance.attr("issues") = py::cast(e.issues());
  PyErr_SetObject(cls, instance.ptr());
}

// ---- running off the GIL, interruptibly -----------------------------------------------------

/// Counts workers reading a model without the GIL; edits wait until none is left. An edit that
/// itself runs without the GIL (PyModel::edit_without_gil) is `writing`: readers and other edits
/// wait for it.
struct Busy {
  std::mutex mu;
  std::condition_variable cv;
  int readers = 0;
  bool writing = false;
};

/// Held by a worker that reads a model without the GIL. Made with the GIL held.
class BusyToken {
 public:
  explicit BusyToken(std::shared_ptr<Busy> b) : busy_(std::move(b)) {
    std::unique_lock<std::mutex> lock(busy_->mu);
    if (busy_->writing) {
      lock.unlock();
      py::gil_scoped_release release;
      lock.lock();
      busy_->cv.wait(lock, [&] { return !busy_->writing; });
    }
    ++busy_->readers;
  }
  BusyToken(const BusyToken&) = delete;
  BusyToken& operator=(const BusyToken&) = delete;
  ~BusyToken() {
    {
      std::lock_guard<std::mutex> lock(busy_->mu);
      --busy_->readers;
    }
    busy_->cv.notify_all();
  }

 private:
  std::shared_ptr<Busy> busy_;
};

/// Runs fn() on a worker thread; the caller waits without the GIL and checks for signals every
/// 20 ms. On a signal (Ctrl-C) the Python exception is raised at once and the worker is left to
/// finish on its own: fn must own (by value or shared_ptr) everything it touches.
template <class F>
auto run_interruptible(F fn) -> decltype(fn()) {
  using R = decltype(fn());
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    std::optional<R> value;
    std::exception_ptr error;
  };
  auto state = std::make_shared<State>();
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    std::thread([state, fn = std::move(fn)]() mutable {
      std::optional<R> value;
      std::exception_ptr error;
      try {
        value.emplace(fn());
      } catch (...) {
        error = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(state->mu);
        state->value = std::move(value);
        state->error = error;
        state->done = true;
      }
      state->cv.notify_all();
    }).detach();
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(state->mu);
        if (state->cv.wait_for(lock, std::chrono::milliseconds(20), [&] { return state->done; }))
          break;
      }
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {
        interrupted = true;
        break;
      }
    }
  }
  if (interrupted) throw py::error_already_set();
  std::lock_guard<std::mutex> lock(state->mu);
  if (state->error) std::rethrow_exception(state->error);
  return std::move(*state->value);
}

// ---- the wrapped objects --------------------------------------------------------------------

struct PyModel {
  std::shared_ptr<Model> model = std::make_shared<Model>();
  std::shared_ptr<Busy> busy = std::make_shared<Busy>();

  PyModel() = default;
  explicit PyModel(Model m) : model(std::make_shared<Model>(std::move(m))) {}

  /// The model for editing with the GIL held, once no worker reads it any more (an interrupted
  /// one, or one that runs without the GIL) and no edit runs without the GIL.
  Model& edit() {
    std::unique_lock<std::mutex> lock(busy->mu);
    if (busy->readers > 0 || busy->writing) {
      lock.unlock();
      py::gil_scoped_release release;
      std::unique_lock<std::mutex> relock(busy->mu);
      busy->cv.wait(relock, [&] { return busy->readers == 0 && !busy->writing; });
    }
    return *model;
  }
  /// f(model) for an edit that runs without the GIL (a long one): no reader or other edit
  /// starts until it is done.
  template <class F>
  auto edit_without_gil(F&& f) {
    Model& m = edit();
    {
      std::lock_guard<std::mutex> lock(busy->mu);
      busy->writing = true;
    }
    struct Done {
      Busy& b;
      ~Done() {
        {
          std::lock_guard<std::mutex> lock(b.mu);
          b.writing = false;
        }
        b.cv.notify_all();
      }
    } done{*busy};
    py::gil_scoped_release release;
    return f(m);
  }
  const Model& get() const { return *model; }
};

struct PyCascade {
  std::shared_ptr<Cascade> cascade;
  PyModel model;  // keeps the model alive, so that staleness is detected rather than dangling
  const Cascade& get() const { return *cascade; }
};

struct PyScorecard {
  std::shared_ptr<Scorecard> card;
  PyCascade cascade;
  const Scorecard& get() const { return *card; }
};

struct PyAttribution {
  std::shared_ptr<AttributionMatrix> matrix;
  std::vector<PyRef> nodes;
  std::vector<std::string> goals;
};

/// A read-only numpy view of `data` (rows x cols, row-major) whose base is `owner`.
py::array view_2d(const double* data, std::size_t rows, std::size_t cols, py::handle owner) {
  const auto r = static_cast<py::ssize_t>(rows), c = static_cast<py::ssize_t>(cols);
  py::array a(
      py::dtype::of<double>(), {r, c},
      {c * static_cast<py::ssize_t>(sizeof(double)), static_cast<py::ssize_t>(sizeof(double))},
      data, owner);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

template <class T>
py::array view_1d(const std::vector<T>& v, py::handle owner) {
  py::array a(py::dtype::of<T>(), {static_cast<py::ssize_t>(v.size())},
              {static_cast<py::ssize_t>(sizeof(T))}, v.data(), owner);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

/// The CLI's choice of columns (spm score): spm::columns_through, ending at `last_label` or at the
/// last month with actuals.
std::vector<std::string> columns_up_to(const Model& model, const std::string& last_label) {
  Span last;
  if (last_label.empty()) {
    const auto latest = last_actual_month(model);
    if (!latest)
      throw Error(ErrorCode::invalid_argument,
                  "the organization has no actuals: give a period to score a period anyway");
    last = Span::of(*latest);
  } else {
    last = Span::parse(last_label);
  }
  std::vector<std::string> out;
  for (const Span& s : columns_through(model, last)) out.push_back(s.label);
  return out;
}

/// Adds, updates or upserts one entity given as its JSON object, parsed by spm's own loader.
void edit_entity_json(PyModel& self, const std::string& op, const std::string& kind_name,
                      const std::string& json_object) {
  const EntityKind kind = kind_from(kind_name);
  std::string doc = "{\"spm_format_version\":1,";
  if (kind != EntityKind::perspective) doc += "\"perspectives\":[],";
  doc += "\"";
  doc += plural_name(kind);
  doc += "\":[";
  doc += json_object;
  doc += "]}";
  Model parsed = load_json(doc);
  Model& model = self.edit();
  visit_kind(kind, [&]<class T>() {
    T entity = parsed.all<T>()[0];
    if (op == "add")
      model.add(std::move(entity));
    else if (op == "update")
      model.update(std::move(entity));
    else if (op == "upsert")
      model.upsert(std::move(entity));
    else
      throw Error(ErrorCode::invalid_argument, "unknown edit '" + op + "'");
  });
}

/// One entity as a one-entity JSON document (compact), for Python to read.
std::string entity_json(const PyModel& self, const std::string& kind_name, const std::string& id) {
  const EntityKind kind = kind_from(kind_name);
  Model one;
  visit_kind(kind, [&]<class T>() { one.add(T(self.get().get<T>(id))); });
  return save_json(one, SaveOptions{false});
}

std::vector<std::string> ids_of(const Model& model, EntityKind kind) {
  std::vector<std::string> out;
  visit_kind(kind, [&]<class T>() {
    const auto all = model.all<T>();
    out.reserve(all.size());
    for (const T& e : all) out.push_back(e.id);
  });
  return out;
}

/// A column given as an index (negative counts from the end) or a label.
int resolve_column(const Scorecard& card, const py::object& column) {
  const auto n = static_cast<long long>(card.columns().size());
  if (py::isinstance<py::str>(column)) {
    const std::string label = column.cast<std::string>();
    const int c = card.column(label);
    if (c < 0) throw Error(ErrorCode::not_found, "the scorecard has no column '" + label + "'");
    return c;
  }
  long long c = column.cast<long long>();
  if (c < 0) c += n;
  if (c < 0 || c >= n)
    throw Error(ErrorCode::invalid_argument, "column " + std::to_string(column.cast<long long>()) +
                                                 " does not exist (the scorecard has " +
                                                 std::to_string(n) + ")");
  return static_cast<int>(c);
}

std::vector<std::string> names_of(const Model& model, EntityKind kind) {
  std::vector<std::string> out;
  visit_kind(kind, [&]<class T>() {
    const auto all = model.all<T>();
    out.reserve(all.size());
    for (const T& e : all) {
      if constexpr (requires { e.name; })
        out.push_back(e.name);
      else
        out.emplace_back();
    }
  });
  return out;
}

/// Results of one family of rows as arrays (rows x columns): score, coverage, status, trend,
/// slope. Status and trend are the enums' numbers (see status_names, trend_names).
py::dict result_table(const PyScorecard& self, const std::string& which) {
  const Scorecard& card = self.get();
  const Model& model = self.cascade.model.get();
  const std::size_t cols = card.columns().size();
  std::vector<std::pair<EntityKind, std::string>> rows;
  int family = 0;
  if (which == "nodes") {
    const Cascade& c = self.cascade.get();
    for (std::uint32_t v = 0; v < c.node_count(); ++v) {
      const Ref r = c.node(v);
      rows.emplace_back(r.kind, r.id);
    }
  } else if (which == "measures") {
    family = 1;
    for (const Measure& m : model.all<Measure>()) rows.emplace_back(EntityKind::measure, m.id);
  } else if (which == "perspectives") {
    family = 2;
    for (const Perspective& p : model.all<Perspective>())
      rows.emplace_back(EntityKind::perspective, p.id);
  } else if (which == "organization") {
    family = 3;
    rows.emplace_back(EntityKind::goal, std::string());
  } else {
    throw Error(ErrorCode::invalid_argument, "unknown result family '" + which + "'");
  }
  const auto n = static_cast<py::ssize_t>(rows.size()), m = static_cast<py::ssize_t>(cols);
  py::array_t<double> score({n, m}), coverage({n, m}), slope({n, m});
  py::array_t<std::uint8_t> status({n, m}), trend({n, m});
  {
    double* ps = score.mutable_data();
    double* pc = coverage.mutable_data();
    double* pl = slope.mutable_data();
    std::uint8_t* pst = status.mutable_data();
    std::uint8_t* ptr = trend.mutable_data();
    BusyToken token(self.cascade.model.busy);  // edits wait for it
    py::gil_scoped_release release;
    std::size_t i = 0;
    for (const auto& [kind, id] : rows) {
      for (std::size_t c = 0; c < cols; ++c, ++i) {
        const int col = static_cast<int>(c);
        ScoreResult r;
        switch (family) {
          case 0:
            r = card.node(kind, id, col);
            break;
          case 1:
            r = card.measure(id, col);
            break;
          case 2:
            r = card.perspective(id, col);
            break;
          default:
            r = card.organization(col);
            break;
        }
        ps[i] = r.score;
        pc[i] = r.coverage;
        pl[i] = r.slope;
        pst[i] = static_cast<std::uint8_t>(r.status);
        ptr[i] = static_cast<std::uint8_t>(r.trend);
      }
    }
  }
  py::list kinds, ids;
  for (const auto& [kind, id] : rows) {
    kinds.append(family == 3 ? "organization" : to_string(kind));
    ids.append(family == 3 ? model.info().id : id);
  }
  py::dict out;
  out["kind"] = kinds;
  out["id"] = ids;
  out["score"] = score;
  out["coverage"] = coverage;
  out["status"] = status;
  out["trend"] = trend;
  out["slope"] = slope;
  return out;
}

py::dict coverage_row(const CoverageRow& r) {
  py::dict d;
  d["kind"] = to_string(r.kind);
  d["id"] = r.id;
  d["name"] = r.name;
  d["employees"] = r.employees;
  d["aligned"] = r.aligned;
  d["share"] = r.share;
  return d;
}

// ---- performance management -----------------------------------------------------------------

/// The reviews of a cycle, with the model whose names the frames show.
struct PyReviews {
  std::shared_ptr<const CycleReviews> reviews;
  PyModel model;
  const CycleReviews& get() const { return *reviews; }
};

/// A day given as "YYYY-MM-DD" or as a datetime.date, datetime.datetime or pandas.Timestamp.
Date date_from(const py::object& day) {
  if (py::isinstance<py::str>(day)) return Date::from_string(day.cast<std::string>());
  if (py::hasattr(day, "date") && py::hasattr(day, "hour"))  // datetime, Timestamp
    return Date::from_string(day.attr("date")().attr("isoformat")().cast<std::string>());
  if (py::hasattr(day, "isoformat"))
    return Date::from_string(day.attr("isoformat")().cast<std::string>());
  throw Error(ErrorCode::invalid_argument, "a day must be 'YYYY-MM-DD' text or a date, not " +
                                               py::repr(day).cast<std::string>());
}

py::object date_or_none(const std::optional<Date>& d) {
  return d ? py::object(py::str(d->to_string())) : py::object(py::none());
}

/// Rows as a list of dicts, one dict per row, built by row(dict, element).
template <class T, class F>
py::list rows_of(const std::vector<T>& list, F&& row) {
  py::list out;
  for (const T& x : list) {
    py::dict d;
    row(d, x);
    out.append(d);
  }
  return out;
}

py::dict distribution_record(const Distribution& d) {
  py::dict r;
  r["kind"] = to_string(d.kind);
  r["id"] = d.id;
  r["count"] = d.count;
  r["mean"] = d.mean;
  r["sd"] = d.sd;
  r["min"] = d.min;
  r["q1"] = d.q1;
  r["median"] = d.median;
  r["q3"] = d.q3;
  r["max"] = d.max;
  return r;
}

py::list participation_records(const ParticipationReport& p) {
  std::vector<const ParticipationRow*> rows{&p.organization};
  for (const auto* list : {&p.divisions, &p.units, &p.teams, &p.managers})
    for (const ParticipationRow& r : *list) rows.push_back(&r);
  py::list out;
  for (const ParticipationRow* r : rows) {
    for (const CriterionCount& c : r->criteria) {
      py::dict d;
      d["kind"] = to_string(r->kind);
      d["id"] = r->id;
      d["employees"] = r->employees;
      d["criterion"] = to_string(c.criterion);
      d["applies"] = c.applies;
      d["met"] = c.met;
      d["share"] = c.share;
      d["missing"] = c.missing;
      out.append(d);
    }
  }
  return out;
}

void def_forward(py::handle cls, const char* name, const char* module, const char* function,
                 const char* doc) {
  // A plain function set on the class becomes a method (self is the first positional).
  py::cpp_function f(
      [module, function](py::args args, const py::kwargs& kwargs) {
        return py::module_::import(module).attr(function)(*args, **kwargs);
      },
      py::name(name), py::is_method(cls), py::doc(doc));
  cls.attr(name) = f;
}

}  // namespace

PYBIND11_MODULE(_spm, m) {
  m.doc() =
      "The compiled core of spm: the strategy model, the goal cascade and the scorecard, bound "
      "from the C++ API. Import `spm`, not this module.";

  // ---- errors -------------------------------------------------------------------------------
  {
    py::dict base_dict;
    base_dict["code"] = py::str("internal");
    base_dict["issues"] = py::list();
    g_error_base = PyErr_NewExceptionWithDoc(
        "spm.Error",
        "The base class of every error that spm raises. `code` is the C++ ErrorCode's name "
        "('not_found', ...), `issues` the list of Issue records it carried (empty for a single "
        "problem).",
        PyExc_Exception, base_dict.ptr());
    m.attr("Error") = py::reinterpret_steal<py::object>(g_error_base);
    py::object str_fn = py::module_::import("builtins").attr("BaseException").attr("__str__");
    py::dict classes;
    for (const ErrorClass& ec : error_table()) {
      py::tuple bases = py::make_tuple(py::handle(g_error_base), py::handle(ec.builtin));
      py::dict dict;
      dict["__str__"] = str_fn;  // KeyError would show the message quoted
      PyObject* cls = PyErr_NewExceptionWithDoc((std::string("spm.") + ec.name).c_str(), ec.doc,
                                                bases.ptr(), dict.ptr());
      if (!cls) throw py::error_already_set();
      m.attr(ec.name) = py::reinterpret_steal<py::object>(cls);
      g_error_classes.emplace_back(ec.code, cls);
      classes[py::str(ec.key)] = py::handle(cls);
    }
    m.attr("ERROR_CLASSES") = classes;
    py::register_exception_translator([](std::exception_ptr p) {
      try {
        if (p) std::rethrow_exception(p);
      } catch (const Error& e) {
        set_python_error(e);
      }
    });
  }
  m.def("_raise", &raise_error_code, py::arg("code"), py::arg("message"),
        "Raises spm::Error with this numeric code from C++ (for tests of the exception table).");

  m.def(
      "version", []() { return std::string(version_string()); }, "The library's version.");
  m.def(
      "generate",
      [](std::uint64_t employees, std::uint64_t seed, int goals, int periods, int year,
         double missing, int max_top_units, bool actuals) {
        GenerateOptions o;
        o.employees = employees;
        o.seed = seed;
        o.goals = goals;
        o.periods = periods;
        o.year = year;
        o.missing = missing;
        o.max_top_units = max_top_units;
        o.actuals = actuals;
        return PyModel(run_interruptible([o]() { return generate(o); }));
      },
      py::arg("employees") = 1000, py::arg("seed") = 1, py::arg("goals") = 20,
      py::arg("periods") = 12, py::arg("year") = 2026, py::arg("missing") = 0.1,
      py::arg("max_top_units") = 12, py::arg("actuals") = true,
      "A synthetic organization of any size, the same for the same arguments on every platform "
      "(docs/performance.md describes its shape); `spm generate` on the command line.");
  m.attr("FORMAT_VERSION") = format_version;
  {
    py::list kinds;
    for (int i = 0; i < entity_kind_count; ++i) {
      const auto k = static_cast<EntityKind>(i);
      kinds.append(py::make_tuple(to_string(k), plural_name(k)));
    }
    m.attr("ENTITY_KINDS") = kinds;
    // Each kind's fields as the file format names them, from the library's own field lists.
    py::dict fields;
    auto names = [](const std::vector<std::string_view>& v) {
      py::list l;
      for (auto n : v) l.append(std::string(n));
      return l;
    };
    fields["organization"] = names(organization_field_names());
    for (int i = 0; i < entity_kind_count; ++i) {
      const auto k = static_cast<EntityKind>(i);
      fields[to_string(k)] = names(field_names(k));
    }
    m.attr("FIELDS") = fields;
    m.attr("STATUS_NAMES") = py::make_tuple(to_string(Status::green), to_string(Status::amber),
                                            to_string(Status::red), to_string(Status::no_data));
    m.attr("TREND_NAMES") = py::make_tuple(to_string(Direction::down), to_string(Direction::flat),
                                           to_string(Direction::up), to_string(Direction::unknown));
  }

  // ---- records ------------------------------------------------------------------------------
  py::class_<Issue>(m, "Issue", "One problem found by validation, loading or an edit.")
      .def_property_readonly(
          "severity",
          [](const Issue& i) { return i.severity == Severity::warning ? "warning" : "error"; })
      .def_readonly("kind", &Issue::kind)
      .def_readonly("id", &Issue::id)
      .def_readonly("field", &Issue::field)
      .def_readonly("message", &Issue::message)
      .def_readonly("location", &Issue::location)
      .def("__str__", &Issue::to_string)
      .def("__repr__", [](const Issue& i) { return "<spm.Issue " + i.to_string() + ">"; });

  py::class_<ScoreResult>(m, "ScoreResult", "The score of one row in one column.")
      .def_readonly("score", &ScoreResult::score)
      .def_readonly("coverage", &ScoreResult::coverage)
      .def_property_readonly("status", [](const ScoreResult& r) { return to_string(r.status); })
      .def_property_readonly("reason",
                             [](const ScoreResult& r) { return r.reason.to_string(r.status); })
      .def_property_readonly("trend", [](const ScoreResult& r) { return to_string(r.trend); })
      .def_readonly("slope", &ScoreResult::slope)
      .def("__repr__", [](const ScoreResult& r) {
        return "<spm.ScoreResult score=" + py::repr(py::float_(r.score)).cast<std::string>() +
               " status=" + to_string(r.status) + " trend=" + to_string(r.trend) + ">";
      });

  py::class_<InputExplanation>(m, "InputExplanation", "One input of a node as the roll-up used it.")
      .def_property_readonly("input", [](const InputExplanation& x) { return ref_out(x.input); })
      .def_readonly("score", &InputExplanation::score)
      .def_readonly("carried", &InputExplanation::carried)
      .def_readonly("weight", &InputExplanation::weight)
      .def_readonly("normalized", &InputExplanation::normalized)
      .def_readonly("contribution", &InputExplanation::contribution);

  py::class_<Explanation>(m, "Explanation", "How one node's score in one column came about.")
      .def_property_readonly("node", [](const Explanation& e) { return ref_out(e.node); })
      .def_readonly("column", &Explanation::column)
      .def_readonly("score", &Explanation::score)
      .def_readonly("coverage", &Explanation::coverage)
      .def_property_readonly("rollup", [](const Explanation& e) { return to_string(e.rollup); })
      .def_property_readonly("missing", [](const Explanation& e) { return to_string(e.missing); })
      .def_readonly("inputs", &Explanation::inputs)
      .def_property_readonly("status_counts",
                             [](const Explanation& e) {
                               py::dict d;
                               for (int i = 0; i < 4; ++i)
                                 d[to_string(static_cast<Status>(i))] =
                                     e.status_counts[static_cast<std::size_t>(i)];
                               return d;
                             })
      .def("text", &Explanation::text)
      .def("__str__", &Explanation::text);

  py::class_<Pace>(m, "Pace", "A measure's progress against the expected value to date.")
      .def_readonly("measure", &Pace::measure)
      .def_property_readonly("span", [](const Pace& p) { return p.span.label; })
      .def_property_readonly("as_of", [](const Pace& p) { return p.as_of.to_string(); })
      .def_readonly("elapsed", &Pace::elapsed)
      .def_readonly("actual", &Pace::actual)
      .def_readonly("expected", &Pace::expected)
      .def_readonly("ratio", &Pace::ratio)
      .def_readonly("on_track", &Pace::on_track);

  py::class_<Forecast>(m, "Forecast", "The projected value and score at the end of a span.")
      .def_readonly("measure", &Forecast::measure)
      .def_property_readonly("span", [](const Forecast& f) { return f.span.label; })
      .def_readonly("value", &Forecast::value)
      .def_readonly("score", &Forecast::score)
      .def_property_readonly("status", [](const Forecast& f) { return to_string(f.status); });

  // ---- Scenario -----------------------------------------------------------------------------
  py::class_<Scenario>(m, "Scenario",
                       "Hypothetical actuals, targets and weights for what-if, applied without "
                       "touching the model.")
      .def(py::init<>())
      .def(
          "set_actual",
          [](Scenario& s, const std::string& measure, const std::string& period, double value) {
            s.actuals.push_back({measure, Period::from_string(period), value});
            return &s;
          },
          py::arg("measure"), py::arg("period"), py::arg("value"),
          py::return_value_policy::reference_internal,
          "A hypothetical actual of a measure in a month (NaN removes the actual).")
      .def(
          "set_target",
          [](Scenario& s, const std::string& measure, double value,
             const std::optional<std::string>& period) {
            std::optional<Period> p;
            if (period) p = Period::from_string(*period);
            s.targets.push_back({measure, p, value});
            return &s;
          },
          py::arg("measure"), py::arg("value"), py::arg("period") = py::none(),
          py::return_value_policy::reference_internal,
          "A hypothetical target of a measure (for a period, or its default target).")
      .def(
          "set_weight",
          [](Scenario& s, const PyRef& from, const std::optional<PyRef>& to, double weight) {
            Scenario::WeightChange w;
            w.from = Ref{kind_from(std::get<0>(from)), std::get<1>(from)};
            if (to) w.to = Ref{kind_from(std::get<0>(*to)), std::get<1>(*to)};
            w.weight = weight;
            s.weights.push_back(std::move(w));
            return &s;
          },
          py::arg("source"), py::arg("to") = py::none(), py::arg("weight") = 1.0,
          py::return_value_policy::reference_internal,
          "A hypothetical weight of the link source -> to, or of a measure (source = ('measure', "
          "id), to = None).")
      .def_property_readonly("empty", &Scenario::empty)
      .def_property_readonly("actuals",
                             [](const Scenario& s) {
                               py::list l;
                               for (const auto& a : s.actuals)
                                 l.append(py::make_tuple(a.measure, a.period.to_string(), a.value));
                               return l;
                             })
      .def_property_readonly(
          "targets",
          [](const Scenario& s) {
            py::list l;
            for (const auto& t : s.targets)
              l.append(py::make_tuple(
                  t.measure,
                  t.period ? py::object(py::str(t.period->to_string())) : py::object(py::none()),
                  t.value));
            return l;
          })
      .def_property_readonly("weights",
                             [](const Scenario& s) {
                               py::list l;
                               for (const auto& w : s.weights)
                                 l.append(py::make_tuple(ref_out(w.from), ref_out(w.to), w.weight));
                               return l;
                             })
      .def("__repr__", [](const Scenario& s) {
        return "<spm.Scenario " + std::to_string(s.actuals.size()) + " actuals, " +
               std::to_string(s.targets.size()) + " targets, " + std::to_string(s.weights.size()) +
               " weights>";
      });

  // ---- Model --------------------------------------------------------------------------------
  py::class_<PyModel> model(m, "Model",
                            "One organization's strategy model (mutable). Load it with "
                            "spm.load() or build it from DataFrames with Model.from_frames().");
  model.def(py::init<>(), "An empty organization (no perspectives).")
      .def_static(
          "from_json",
          [](std::string text) {
            return PyModel(run_interruptible([t = std::move(text)]() { return load_json(t); }));
          },
          py::arg("text"), "Parses an organization from JSON text (docs/format.md).")
      .def_static(
          "load",
          [](std::string path) {
            return PyModel(
                run_interruptible([p = std::move(path)]() { return load_json_file(p); }));
          },
          py::arg("path"), "Reads an organization's JSON file.")
      .def(
          "to_json",
          [](const PyModel& self, bool pretty) {
            auto keep = self.model;
            BusyToken token(self.busy);  // edits wait for it
            py::gil_scoped_release release;
            return save_json(*keep, SaveOptions{pretty});
          },
          py::arg("pretty") = true, "The organization as JSON text.")
      .def(
          "save",
          [](const PyModel& self, const std::string& path, bool pretty) {
            auto keep = self.model;
            BusyToken token(self.busy);
            py::gil_scoped_release release;
            save_json_file(*keep, path, SaveOptions{pretty});
          },
          py::arg("path"), py::arg("pretty") = true,
          "Writes the organization as JSON (atomically: a temporary file, then a rename).")
      .def(
          "load_actuals_csv",
          [](PyModel& self, const std::string& text) {
            return self.edit_without_gil([&](Model& m) { return load_actuals_csv(m, text).rows; });
          },
          py::arg("text"), "Sets every actual of CSV text, all or none; returns the rows set.")
      .def(
          "load_actuals",
          [](PyModel& self, const std::string& path) {
            return self.edit_without_gil(
                [&](Model& m) { return load_actuals_csv_file(m, path).rows; });
          },
          py::arg("path"), "Sets every actual of a CSV file, all or none; returns the rows set.")
      .def(
          "actuals_csv",
          [](const PyModel& self) {
            BusyToken token(self.busy);
            py::gil_scoped_release release;
            return save_actuals_csv(*self.model);
          },
          "Every actual as CSV text.")
      .def(
          "save_actuals",
          [](const PyModel& self, const std::string& path) {
            BusyToken token(self.busy);
            py::gil_scoped_release release;
            save_actuals_csv_file(*self.model, path);
          },
          py::arg("path"), "Writes every actual as a CSV file.")
      .def(
          "validate",
          [](const PyModel& self, int threads) {
            auto keep = self.model;
            auto token = std::make_shared<BusyToken>(self.busy);  // edits wait for it
            ValidateOptions options;
            options.threads = threads;
            return run_interruptible([keep, token, options]() { return validate(*keep, options); });
          },
          py::arg("threads") = 1,
          "Every problem of the whole model (errors and warnings), as Issue records. It also "
          "resolves the references that compile reads, which the model keeps (a compile after it "
          "looks nothing up): `threads` for that (0: every core), the same issues whatever the "
          "number.")
      .def(
          "ensure_valid",
          [](const PyModel& self) {
            BusyToken token(self.busy);
            py::gil_scoped_release release;
            ensure_valid(*self.model);
          },
          "Raises ValidationError listing every error, if the model has any.")
      .def_property_readonly("revision", [](const PyModel& s) { return s.get().revision(); })
      .def_property_readonly("structure_revision",
                             [](const PyModel& s) { return s.get().structure_revision(); })
      .def_property_readonly(
          "kept_bytes", [](const PyModel& s) { return s.get().kept_bytes(); },
          "Bytes the model keeps for its next compiles and evaluations (Model::kept_bytes).")
      .def(
          "release_memory", [](const PyModel& s) { s.get().release_memory(); },
          "Frees what kept_bytes counts; results are unchanged.")
      .def(
          "count",
          [](const PyModel& s, const std::string& kind) { return s.get().count(kind_from(kind)); },
          py::arg("kind"), "How many entities of a kind ('goal' or 'goals').")
      .def(
          "contains",
          [](const PyModel& s, const std::string& kind, const std::string& id) {
            return s.get().contains(kind_from(kind), id);
          },
          py::arg("kind"), py::arg("id"))
      .def(
          "ids",
          [](const PyModel& s, const std::string& kind) {
            return ids_of(s.get(), kind_from(kind));
          },
          py::arg("kind"), "The ids of a kind's entities, in order.")
      .def(
          "names",
          [](const PyModel& s, const std::string& kind) {
            return names_of(s.get(), kind_from(kind));
          },
          py::arg("kind"), "The names of a kind's entities, in order (empty for kinds without).")
      .def(
          "_info_json",
          [](const PyModel& s) {
            Model one;
            one.set_info(s.get().info());
            return save_json(one, SaveOptions{false});
          },
          "The organization's own record as a JSON document without entities.")
      .def("_entity_json", &entity_json, py::arg("kind"), py::arg("id"),
           "One entity as a one-entity JSON document (raises NotFoundError for an unknown id).")
      .def("_edit_json", &edit_entity_json, py::arg("op"), py::arg("kind"), py::arg("json_object"),
           "Adds, updates or upserts one entity given as a JSON object.")
      .def(
          "remove",
          [](PyModel& s, const std::string& kind, const std::string& id) {
            s.edit().remove(kind_from(kind), id);
          },
          py::arg("kind"), py::arg("id"), "Removes an entity (raises NotFoundError if absent).")
      .def(
          "set_actual",
          [](PyModel& s, const std::string& measure, const std::string& period,
             std::optional<double> value, std::optional<double> numerator,
             std::optional<double> denominator) {
            Actual a;
            a.period = Period::from_string(period);
            if (numerator || denominator) {
              if (!numerator || !denominator)
                throw Error(ErrorCode::invalid_argument,
                            "a ratio actual needs both numerator and denominator");
              a.numerator = numerator;
              a.denominator = denominator;
              a.value = *numerator / *denominator;
            } else if (value) {
              a.value = *value;
            } else {
              throw Error(ErrorCode::invalid_argument,
                          "an actual needs a value, or a numerator and a denominator");
            }
            s.edit().set_actual(measure, std::move(a));
          },
          py::arg("measure"), py::arg("period"), py::arg("value") = py::none(),
          py::arg("numerator") = py::none(), py::arg("denominator") = py::none(),
          "Sets (or replaces) one measure's actual for a period.")
      .def(
          "erase_actual",
          [](PyModel& s, const std::string& measure, const std::string& period) {
            return s.edit().erase_actual(measure, Period::from_string(period));
          },
          py::arg("measure"), py::arg("period"),
          "Removes an actual; returns whether there was one.")
      .def(
          "copy", [](const PyModel& s) { return PyModel(Model(s.get())); },
          "A deep copy of the organization.")
      .def("__eq__",
           [](const PyModel& a, const py::object& b) {
             if (!py::isinstance<PyModel>(b)) return false;
             return a.get() == b.cast<const PyModel&>().get();
           })
      .def("__copy__", [](const PyModel& s) { return PyModel(Model(s.get())); })
      .def("__deepcopy__", [](const PyModel& s, py::dict) { return PyModel(Model(s.get())); })
      .def(
          "compile",
          [](const PyModel& self, int threads) {
            auto keep = self.model;
            auto token = std::make_shared<BusyToken>(self.busy);
            CompileOptions options;
            options.threads = threads;
            auto c = run_interruptible([keep, token, options]() {
              return std::make_shared<Cascade>(Cascade::compile(*keep, options));
            });
            return PyCascade{std::move(c), self};
          },
          py::arg("threads") = 1,
          "Compiles the contribution links into a Cascade (raises CycleError, ValidationError). "
          "threads: how many threads may look ids up (0: one per core); the same cascade "
          "whatever the number.")
      .def(
          "default_columns",
          [](const PyModel& self, const std::optional<std::string>& period) {
            return columns_up_to(self.get(), period.value_or(std::string()));
          },
          py::arg("period") = py::none(),
          "The columns `spm score` uses for a period: like-for-like spans from the first month "
          "with data up to the period (default: the last month with actuals).");
  model
      .def(
          "cycle_employees",
          [](const PyModel& self, const std::string& cycle, const py::object& as_of) {
            return cycle_employees(self.get(), cycle, date_from(as_of));
          },
          py::arg("cycle"), py::arg("as_of"),
          "The employees a review cycle reviews as of a day, in the cycle's order.")
      .def(
          "cycle_span",
          [](const PyModel& self, const std::string& cycle) {
            return cycle_span(self.get().get<ReviewCycle>(cycle)).label;
          },
          py::arg("cycle"), "The scorecard column of a review cycle ('2026', '2026-04..2027-Q1').")
      .def(
          "rating_score",
          [](const PyModel& self, const std::string& cycle, double rating) {
            return rating_score(self.get().get<ReviewCycle>(cycle).scale, rating);
          },
          py::arg("cycle"), py::arg("rating"), "The score of a rating on a review cycle's scale.")
      .def(
          "_check_ins",
          [](const PyModel& self, const std::string& cycle, const py::object& as_of) {
            const Date day = date_from(as_of);
            CheckInReport r;
            {
              auto keep = self.model;
              BusyToken token(self.busy);  // edits wait for it
              py::gil_scoped_release release;
              r = check_ins(*keep, cycle, day);
            }
            py::dict out;
            out["cycle"] = r.cycle;
            out["cadence_days"] = r.cadence_days;
            out["as_of"] = r.as_of.to_string();
            out["overdue"] = r.overdue;
            out["employees"] = rows_of(r.employees, [](py::dict& d, const CheckInStatus& x) {
              d["employee"] = x.employee;
              d["in_cycle"] = x.in_cycle;
              d["last"] = date_or_none(x.last);
              d["days_since"] = x.days_since;
              d["due"] = date_or_none(x.due);
              d["expected"] = x.expected;
              d["overdue"] = x.overdue;
            });
            out["json"] = check_ins_json(r);
            return out;
          },
          py::arg("cycle"), py::arg("as_of"), "check_ins() as plain records.");
  model.attr("__hash__") = py::none();

  // ---- Cascade ------------------------------------------------------------------------------
  py::class_<PyCascade> cascade(m, "Cascade",
                                "The compiled goal cascade of a model (immutable). Queries raise "
                                "StaleError after the model is edited.");
  cascade.def_property_readonly("model", [](const PyCascade& c) { return c.model; })
      .def_property_readonly("is_current", [](const PyCascade& c) { return c.get().is_current(); })
      .def_property_readonly("node_count", [](const PyCascade& c) { return c.get().node_count(); })
      .def_property_readonly("edge_count", [](const PyCascade& c) { return c.get().edge_count(); })
      .def(
          "nodes",
          [](const PyCascade& c) {
            const Cascade& g = c.get();
            g.ensure_current();
            std::vector<PyRef> out;
            out.reserve(g.node_count());
            for (std::uint32_t v = 0; v < g.node_count(); ++v) out.push_back(ref_out(g.node(v)));
            return out;
          },
          "Every node as (kind, id), in cascade order (contributors before what they serve).")
      .def(
          "index_of",
          [](const PyCascade& c, const std::string& kind, const std::string& id) {
            return c.get().index_of(kind_from(kind), id);
          },
          py::arg("kind"), py::arg("id"), "Cascade index of a node, or -1.")
      .def(
          "line_of_sight",
          [](const PyCascade& c, const std::string& kind, const std::string& id,
             std::size_t max_paths) {
            LineOfSight los;
            {
              BusyToken token(c.model.busy);
              py::gil_scoped_release release;
              los = c.get().line_of_sight(kind_from(kind), id, max_paths);
            }
            py::list paths;
            for (const SightPath& p : los.paths) {
              py::dict d;
              py::list nodes;
              for (const Ref& r : p.nodes) nodes.append(ref_out(r));
              d["nodes"] = nodes;
              d["weight"] = p.weight;
              paths.append(d);
            }
            py::dict out;
            out["from"] = ref_out(los.from);
            out["paths"] = paths;
            out["truncated"] = los.truncated;
            out["goals"] = los.goals;
            return out;
          },
          py::arg("kind"), py::arg("id"), py::arg("max_paths") = 10000,
          "Every path from a node up to the goals: a dict with from, paths (nodes, weight), "
          "truncated and goals (goal, summed weight).")
      .def(
          "contributors",
          [](const PyCascade& c, const std::string& goal) {
            const Contributors r = c.get().contributors(goal);
            py::list nodes, owners;
            for (const Attribution& a : r.nodes)
              nodes.append(py::make_tuple(ref_out(a.node), a.value));
            for (const Attribution& a : r.owners)
              owners.append(py::make_tuple(ref_out(a.node), a.value));
            py::dict out;
            out["goal"] = r.goal;
            out["nodes"] = nodes;
            out["owners"] = owners;
            return out;
          },
          py::arg("goal"),
          "Everything below one goal: nodes and owners with their attribution, by decreasing "
          "value.")
      .def(
          "impact",
          [](const PyCascade& c, const std::string& kind, const std::string& id) {
            std::vector<std::tuple<std::string, double>> out;
            for (const Attribution& a : c.get().impact(kind_from(kind), id))
              out.emplace_back(a.node.id, a.value);
            return out;
          },
          py::arg("kind"), py::arg("id"),
          "The goals an employee, unit or team affects, with summed attribution.")
      .def(
          "orphans",
          [](const PyCascade& c) {
            std::vector<PyRef> out;
            for (const Ref& r : c.get().orphans()) out.push_back(ref_out(r));
            return out;
          },
          "Objectives, actions and milestones with no path to any goal.")
      .def("uncovered_goals", [](const PyCascade& c) { return c.get().uncovered_goals(); })
      .def("strategies_without_milestones",
           [](const PyCascade& c) { return c.get().strategies_without_milestones(); })
      .def("milestones_without_owner",
           [](const PyCascade& c) { return c.get().milestones_without_owner(); })
      .def(
          "coverage_report",
          [](const PyCascade& c) {
            CoverageReport r;
            {
              BusyToken token(c.model.busy);
              py::gil_scoped_release release;
              r = c.get().coverage();
            }
            py::dict out;
            out["organization"] = coverage_row(r.organization);
            for (const auto* part : {"divisions", "units", "teams"}) {
              const auto& rows = std::string(part) == "divisions" ? r.divisions
                                 : std::string(part) == "units"   ? r.units
                                                                  : r.teams;
              py::list l;
              for (const CoverageRow& row : rows) l.append(coverage_row(row));
              out[part] = l;
            }
            py::list goals;
            for (const GoalCoverage& g : r.goals) {
              py::dict d;
              d["goal"] = g.goal;
              d["measures"] = g.measures;
              d["contributors"] = g.contributors;
              d["objectives"] = g.objectives;
              d["aligned_employees"] = g.aligned_employees;
              d["covered"] = g.covered;
              goals.append(d);
            }
            out["goals"] = goals;
            out["goal_share"] = r.goal_share;
            return out;
          },
          "Alignment coverage as plain records: organization, divisions, units, teams, goals, "
          "goal_share.")
      .def(
          "attribution_matrix",
          [](const PyCascade& c) {
            auto keep = c.cascade;
            auto token = std::make_shared<BusyToken>(c.model.busy);
            auto mkeep = c.model.model;
            auto matrix = run_interruptible([keep, token, mkeep]() {
              return std::make_shared<AttributionMatrix>(keep->attribution());
            });
            PyAttribution a;
            a.matrix = std::move(matrix);
            for (std::uint32_t v = 0; v < c.get().node_count(); ++v)
              a.nodes.push_back(ref_out(c.get().node(v)));
            a.goals = ids_of(c.model.get(), EntityKind::goal);
            return a;
          },
          "The attribution of every node to every goal, as a sparse CSR matrix.")
      .def(
          "attribution_to",
          [](const PyCascade& c, const std::string& goal) {
            std::vector<std::tuple<PyRef, double>> out;
            for (const Attribution& a : c.get().attribution_to(goal))
              out.emplace_back(ref_out(a.node), a.value);
            return out;
          },
          py::arg("goal"), "One goal's column: every node reaching it with its attribution.")
      .def(
          "evaluate",
          [](const PyCascade& c, const std::optional<std::vector<std::string>>& columns,
             int trend_periods, double trend_dead_band, double on_track_share,
             const std::optional<Scenario>& scenario, int threads) {
            ScoreOptions options;
            if (columns) options.columns = spans_from(*columns);
            options.trend_periods = trend_periods;
            options.trend_dead_band = trend_dead_band;
            options.on_track_share = on_track_share;
            options.threads = threads;
            auto keep = c.cascade;
            auto mkeep = c.model.model;
            auto token = std::make_shared<BusyToken>(c.model.busy);
            Scenario sc = scenario.value_or(Scenario{});
            auto card = run_interruptible(
                [keep, mkeep, token, options = std::move(options), sc = std::move(sc)]() {
                  return std::make_shared<Scorecard>(Scorecard::evaluate(*keep, options, sc));
                });
            return PyScorecard{std::move(card), c};
          },
          py::arg("columns") = py::none(), py::arg("trend_periods") = 6,
          py::arg("trend_dead_band") = 0.01, py::arg("on_track_share") = 0.95,
          py::arg("scenario") = py::none(), py::arg("threads") = 1,
          "Scores the model: columns are labels ('2026-03', '2026-Q1', '2026', '2026-YTD-05'); "
          "none means every month with data. A scenario gives what-if scores. threads: how "
          "many threads may score (0: one per core); the same numbers whatever the number.");

  cascade
      .def(
          "_participation",
          [](const PyCascade& c, const std::optional<std::string>& cycle,
             const std::optional<std::string>& period, const py::object& as_of, int cadence_days) {
            ParticipationQuery q;
            q.cycle = cycle.value_or(std::string());
            if (period) q.period = Period::from_string(*period);
            q.as_of = date_from(as_of);
            q.cadence_days = cadence_days;
            ParticipationReport r;
            {
              auto keep = c.cascade;
              auto mkeep = c.model.model;
              BusyToken token(c.model.busy);
              py::gil_scoped_release release;
              r = participation(*mkeep, *keep, q);
            }
            py::dict out;
            out["cycle"] = r.cycle;
            out["span"] = r.span.label;
            out["as_of"] = r.as_of.to_string();
            out["cadence_days"] = r.cadence_days;
            out["population"] = r.population;
            out["rows"] = participation_records(r);
            using G = GroupKind;
            out["json"] = participation_json(
                c.model.get(), r, {G::organization, G::division, G::unit, G::team, G::manager});
            return out;
          },
          py::arg("cycle") = py::none(), py::arg("period") = py::none(),
          py::arg("as_of") = py::none(), py::arg("cadence_days") = 30,
          "participation() as plain records.")
      .def(
          "_training_needs",
          [](const PyCascade& c, const std::string& cycle, const py::object& as_of) {
            const Date day = date_from(as_of);
            TrainingNeeds t;
            {
              auto keep = c.cascade;
              auto mkeep = c.model.model;
              BusyToken token(c.model.busy);
              py::gil_scoped_release release;
              t = training_needs(*mkeep, *keep, cycle, day);
            }
            py::dict out;
            out["gaps"] = rows_of(t.gaps, [](py::dict& d, const TrainingGap& g) {
              d["employee"] = g.employee;
              d["competency"] = g.competency;
              d["required"] = g.required;
              d["assessed"] = g.assessed;
              d["gap"] = g.gap;
              d["objectives"] = g.objectives;
            });
            out["units"] = rows_of(t.units, [](py::dict& d, const UnitTrainingNeed& u) {
              d["unit"] = u.unit;
              d["competency"] = u.competency;
              d["total_gap"] = u.total_gap;
              d["employees_with_gap"] = u.employees_with_gap;
              d["not_assessed"] = u.not_assessed;
              py::list goals;
              for (const Attribution& a : u.goals) goals.append(py::make_tuple(a.node.id, a.value));
              d["goals"] = goals;
            });
            out["json"] = training_needs_json(t, cycle, day);
            return out;
          },
          py::arg("cycle"), py::arg("as_of"), "training_needs() as plain records.");

  // ---- AttributionMatrix --------------------------------------------------------------------
  py::class_<PyAttribution>(m, "AttributionMatrix",
                            "Attribution of every cascade node (rows) to every goal (columns), "
                            "as compressed sparse rows. The arrays are read-only views.")
      .def_property_readonly(
          "shape",
          [](const PyAttribution& a) { return py::make_tuple(a.matrix->rows, a.matrix->cols); })
      .def_property_readonly("nnz", [](const PyAttribution& a) { return a.matrix->values.size(); })
      .def_property_readonly("indptr",
                             [](py::object self) {
                               const auto& a = self.cast<const PyAttribution&>();
                               return view_1d(a.matrix->row_offsets, self);
                             })
      .def_property_readonly("indices",
                             [](py::object self) {
                               const auto& a = self.cast<const PyAttribution&>();
                               return view_1d(a.matrix->columns, self);
                             })
      .def_property_readonly("data",
                             [](py::object self) {
                               const auto& a = self.cast<const PyAttribution&>();
                               return view_1d(a.matrix->values, self);
                             })
      .def_readonly("nodes", &PyAttribution::nodes, "Row labels: (kind, id) per cascade node.")
      .def_readonly("goals", &PyAttribution::goals, "Column labels: goal ids in model order.");

  // ---- Scorecard ----------------------------------------------------------------------------
  py::class_<PyScorecard> scorecard(m, "Scorecard",
                                    "The scores of every measure, node, perspective and the "
                                    "organization, per column (immutable).");
  scorecard.def_property_readonly("cascade", [](const PyScorecard& s) { return s.cascade; })
      .def_property_readonly("model", [](const PyScorecard& s) { return s.cascade.model; })
      .def_property_readonly("is_current",
                             [](const PyScorecard& s) { return s.get().is_current(); })
      .def_property_readonly("columns",
                             [](const PyScorecard& s) {
                               std::vector<std::string> out;
                               for (const Span& sp : s.get().columns()) out.push_back(sp.label);
                               return out;
                             })
      .def(
          "column",
          [](const PyScorecard& s, const std::string& label) { return s.get().column(label); },
          py::arg("label"), "Index of a column by label, or -1.")
      .def(
          "measure",
          [](const PyScorecard& s, const std::string& id, const py::object& column) {
            return s.get().measure(id, resolve_column(s.get(), column));
          },
          py::arg("id"), py::arg("column") = -1)
      .def(
          "node",
          [](const PyScorecard& s, const std::string& kind, const std::string& id,
             const py::object& column) {
            return s.get().node(kind_from(kind), id, resolve_column(s.get(), column));
          },
          py::arg("kind"), py::arg("id"), py::arg("column") = -1)
      .def(
          "perspective",
          [](const PyScorecard& s, const std::string& id, const py::object& column) {
            return s.get().perspective(id, resolve_column(s.get(), column));
          },
          py::arg("id"), py::arg("column") = -1)
      .def(
          "organization",
          [](const PyScorecard& s, const py::object& column) {
            return s.get().organization(resolve_column(s.get(), column));
          },
          py::arg("column") = -1)
      .def(
          "actual",
          [](const PyScorecard& s, const std::string& id, const py::object& column) {
            return s.get().actual(id, resolve_column(s.get(), column));
          },
          py::arg("measure"), py::arg("column") = -1)
      .def(
          "target",
          [](const PyScorecard& s, const std::string& id, const py::object& column) {
            return s.get().target(id, resolve_column(s.get(), column));
          },
          py::arg("measure"), py::arg("column") = -1)
      .def(
          "explanation",
          [](const PyScorecard& s, const std::string& kind, const std::string& id,
             const py::object& column) {
            return s.get().explain(kind_from(kind), id, resolve_column(s.get(), column));
          },
          py::arg("kind"), py::arg("id"), py::arg("column") = -1,
          "How a node's score in a column came about (an Explanation record).")
      .def(
          "pace",
          [](const PyScorecard& s, const std::string& id, const std::string& as_of) {
            return s.get().pace(id, Period::from_string(as_of));
          },
          py::arg("measure"), py::arg("as_of"))
      .def(
          "forecast",
          [](const PyScorecard& s, const std::string& id, const std::string& span) {
            return s.get().forecast(id, Span::parse(span));
          },
          py::arg("measure"), py::arg("span"))
      .def(
          "sensitivity",
          [](const PyScorecard& s, const std::string& goal, const std::string& measure) {
            return s.get().sensitivity(goal, measure);
          },
          py::arg("goal"), py::arg("measure"))
      .def_property_readonly(
          "node_scores",
          [](py::object self) {
            const auto& s = self.cast<const PyScorecard&>();
            const auto data = s.get().node_scores();
            const std::size_t cols = s.get().columns().size();
            return view_2d(data.data(), cols == 0 ? 0 : data.size() / cols, cols, self);
          },
          "Node scores, cascade nodes x columns: a read-only view of the scorecard's storage.")
      .def_property_readonly(
          "measure_scores",
          [](py::object self) {
            const auto& s = self.cast<const PyScorecard&>();
            const auto data = s.get().measure_scores();
            const std::size_t cols = s.get().columns().size();
            return view_2d(data.data(), cols == 0 ? 0 : data.size() / cols, cols, self);
          },
          "Measure scores, measures (model order) x columns: a read-only view.")
      .def("_table", &result_table, py::arg("which"),
           "Results of 'nodes', 'measures', 'perspectives' or 'organization' as arrays.");

  scorecard
      .def(
          "review_cycle",
          [](const PyScorecard& s, const std::string& cycle, const py::object& as_of) {
            const Date day = date_from(as_of);
            std::shared_ptr<const CycleReviews> r;
            {
              auto keep = s.card;
              auto ckeep = s.cascade.cascade;
              auto mkeep = s.cascade.model.model;
              BusyToken token(s.cascade.model.busy);
              py::gil_scoped_release release;
              r = std::make_shared<const CycleReviews>(
                  review_cycle(*mkeep, *ckeep, *keep, cycle, day));
            }
            return PyReviews{std::move(r), s.cascade.model};
          },
          py::arg("cycle"), py::arg("as_of"),
          "The reviews of a cycle as of a day; the scorecard needs the cycle's column "
          "(Model.cycle_span). spm.reviews() does it all.")
      .def(
          "_outcome_budget",
          [](const PyScorecard& s, const py::object& column, double spend_unit) {
            const int col = resolve_column(s.get(), column);
            OutcomeBudget b;
            {
              auto keep = s.card;
              auto ckeep = s.cascade.cascade;
              auto mkeep = s.cascade.model.model;
              BusyToken token(s.cascade.model.busy);
              py::gil_scoped_release release;
              b = outcome_budget(*mkeep, *ckeep, *keep, col, spend_unit);
            }
            py::dict out;
            out["span"] = b.span.label;
            out["spend_unit"] = b.spend_unit;
            out["strategies"] = rows_of(b.strategies, [](py::dict& d, const StrategyOutcome& x) {
              d["strategy"] = x.strategy;
              d["budget"] = x.budget;
              d["currency"] = x.currency;
              d["strategy_score"] = x.strategy_score;
              d["outcome"] = x.outcome;
              d["outcome_per_spend"] = x.outcome_per_spend;
              py::list goals;
              for (const ServedGoal& g : x.goals)
                goals.append(py::make_tuple(g.goal, g.weight, g.score));
              d["goals"] = goals;
            });
            out["json"] = outcome_budget_json(b);
            return out;
          },
          py::arg("column") = 0, py::arg("spend_unit") = 1e6, "outcome_budget() as plain records.");

  // ---- Reviews ------------------------------------------------------------------------------
  py::class_<PyReviews> reviews(m, "Reviews",
                                "The reviews of one review cycle (immutable): components, final "
                                "scores, detail lines and 360-degree feedback behind anonymity "
                                "thresholds (docs/people.md).");
  reviews.def_property_readonly("cycle", [](const PyReviews& r) { return r.get().cycle; })
      .def_property_readonly("span", [](const PyReviews& r) { return r.get().span.label; })
      .def_property_readonly("as_of", [](const PyReviews& r) { return r.get().as_of.to_string(); })
      .def_property_readonly("model", [](const PyReviews& r) { return r.model; })
      .def_property_readonly("weights",
                             [](const PyReviews& r) {
                               const ComponentWeights& w = r.get().weights;
                               py::dict d;
                               d["objectives"] = w.objectives;
                               d["contribution"] = w.contribution;
                               d["values"] = w.values;
                               d["self"] = w.self;
                               d["feedback"] = w.feedback;
                               return d;
                             })
      .def_property_readonly("employees",
                             [](const PyReviews& r) {
                               std::vector<std::string> out;
                               for (const EmployeeReview& e : r.get().employees)
                                 out.push_back(e.employee);
                               return out;
                             })
      .def("__len__", [](const PyReviews& r) { return r.get().employees.size(); })
      .def(
          "text",
          [](const PyReviews& r, const std::string& employee) {
            const auto i = r.get().index_of(employee);
            if (i < 0)
              throw Error(ErrorCode::not_found,
                          "'" + employee + "' is not reviewed in cycle '" + r.get().cycle + "'");
            return r.get().employees[static_cast<std::size_t>(i)].text();
          },
          py::arg("employee"), "One employee's review with every number explained.")
      .def(
          "to_json",
          [](const PyReviews& r, const std::optional<std::string>& employee) {
            return employee ? review_json(r.model.get(), r.get(), *employee)
                            : reviews_json(r.model.get(), r.get());
          },
          py::arg("employee") = py::none(),
          "The JSON document `spm review --format json` prints (one employee's in detail).")
      .def(
          "_records",
          [](const PyReviews& r) {
            const CycleReviews& rv = r.get();
            py::dict out;
            out["employees"] = rows_of(rv.employees, [](py::dict& d, const EmployeeReview& e) {
              d["employee"] = e.employee;
              d["unit"] = e.unit;
              d["manager"] = e.manager;
              d["review"] = e.review;
              d["reviewer"] = e.reviewer;
              d["review_completed"] = e.review_completed;
              d["self_submitted"] = e.self_submitted;
              for (const ComponentScore& c : e.components) d[to_string(c.component)] = c.score;
              d["final_score"] = e.final_score;
              d["weight_present"] = e.weight_present;
              d["self_rating"] = e.self_rating;
              d["overall_rating"] = e.overall_rating;
              d["overall_score"] = e.overall_score;
            });
            py::list components, objectives, goals, ratings, feedback;
            for (const EmployeeReview& e : rv.employees) {
              for (const ComponentScore& c : e.components) {
                py::dict d;
                d["employee"] = e.employee;
                d["component"] = to_string(c.component);
                d["score"] = c.score;
                d["weight"] = c.weight;
                d["normalized"] = c.normalized;
                d["points"] = c.points;
                d["missing"] = c.missing;
                components.append(d);
              }
              for (const ObjectiveLine& o : e.objectives) {
                py::dict d;
                d["employee"] = e.employee;
                d["objective"] = o.objective;
                d["weight"] = o.weight;
                d["score"] = o.score;
                d["normalized"] = o.normalized;
                d["points"] = o.points;
                objectives.append(d);
              }
              for (const GoalLine& g : e.goals) {
                py::dict d;
                d["employee"] = e.employee;
                d["goal"] = g.goal;
                d["attribution"] = g.attribution;
                d["share"] = g.share;
                d["scored_attribution"] = g.scored_attribution;
                d["score"] = g.score;
                d["points"] = g.points;
                goals.append(d);
              }
              for (const RatingLine& rt : e.ratings) {
                py::dict d;
                d["employee"] = e.employee;
                d["kind"] = to_string(rt.subject.kind);
                d["id"] = rt.subject.id;
                d["rating"] = rt.rating;
                d["score"] = rt.score;
                ratings.append(d);
              }
              // A group that is not shown is empty already; nothing else is read from it.
              for (const FeedbackGroup& g : e.feedback) {
                py::dict d;
                d["employee"] = e.employee;
                d["relation"] = to_string(g.relation);
                d["threshold"] = g.threshold;
                d["shown"] = g.shown;
                d["responses"] = g.responses;
                d["mean_rating"] = g.mean_rating;
                d["mean_score"] = g.mean_score;
                d["raters"] = g.raters;
                d["comments"] = g.comments;
                feedback.append(d);
              }
            }
            out["components"] = components;
            out["objectives"] = objectives;
            out["goals"] = goals;
            out["ratings"] = ratings;
            out["feedback"] = feedback;
            return out;
          },
          "Every line of every review as plain records.")
      .def(
          "_calibration",
          [](const PyReviews& r, double outlier_z) {
            const Calibration cal = calibrate(r.get(), outlier_z);
            py::list dists;
            dists.append(distribution_record(cal.organization));
            for (const auto* list : {&cal.managers, &cal.units})
              for (const Distribution& d : *list) dists.append(distribution_record(d));
            py::dict out;
            out["outlier_z"] = cal.outlier_z;
            out["distributions"] = dists;
            out["employees"] = rows_of(cal.employees, [](py::dict& d, const CalibrationLine& l) {
              d["employee"] = l.employee;
              d["manager"] = l.manager;
              d["unit"] = l.unit;
              d["final_score"] = l.final_score;
              d["z_manager"] = l.z_manager;
              d["z_unit"] = l.z_unit;
              d["z_organization"] = l.z_organization;
              d["outlier"] = l.outlier;
            });
            out["json"] = calibration_json(cal, r.get().cycle);
            return out;
          },
          py::arg("outlier_z") = 2.0, "calibrate() as plain records.")
      .def(
          "_rewards",
          [](const PyReviews& r, double pool, bool require_completed_review, double min_final_score,
             double final_exponent, double contribution_exponent) {
            RewardRules rules;
            rules.pool = pool;
            rules.require_completed_review = require_completed_review;
            rules.min_final_score = min_final_score;
            rules.final_exponent = final_exponent;
            rules.contribution_exponent = contribution_exponent;
            if (!std::isfinite(min_final_score))
              throw Error(ErrorCode::invalid_argument, "min_final_score must be finite");
            const RewardReport w = rewards(r.get(), rules);
            py::dict out;
            out["pool_cents"] = w.pool_cents;
            out["allocated_cents"] = w.allocated_cents;
            out["employees"] = rows_of(w.employees, [](py::dict& d, const RewardShare& x) {
              d["employee"] = x.employee;
              d["eligible"] = x.eligible;
              d["reason"] = x.reason;
              d["basis"] = x.basis;
              d["exact"] = x.exact;
              d["cents"] = x.cents;
            });
            py::list goals;
            for (const RewardShare& x : w.employees) {
              for (const RewardTrace& t : x.goals) {
                py::dict d;
                d["employee"] = x.employee;
                d["goal"] = t.goal;
                d["cents"] = t.cents;
                goals.append(d);
              }
            }
            out["goals"] = goals;
            out["json"] = rewards_json(w, r.get().cycle);
            return out;
          },
          py::arg("pool"), py::arg("require_completed_review") = true,
          py::arg("min_final_score") = 0.0, py::arg("final_exponent") = 1.0,
          py::arg("contribution_exponent") = 0.0, "rewards() as plain records.");

  // ---- Python-side conveniences, forwarded ---------------------------------------------------
  model.attr("from_frames") = py::staticmethod(py::cpp_function(
      [](py::args args, const py::kwargs& kwargs) {
        return py::module_::import("spm.frames").attr("from_frames")(*args, **kwargs);
      },
      py::name("from_frames"),
      py::doc("An organization from a dict of DataFrames, one per entity kind (docs/python.md).")));
  def_forward(model, "to_frames", "spm.frames", "model_to_frames",
              "Every entity kind as a DataFrame (columns: the JSON field names).");
  def_forward(model, "get", "spm.frames", "model_get", "One entity as a dict of its JSON fields.");
  def_forward(model, "add", "spm.frames", "model_add", "Adds an entity given as a dict.");
  def_forward(model, "update", "spm.frames", "model_update", "Replaces an entity given as a dict.");
  def_forward(model, "upsert", "spm.frames", "model_upsert", "Adds or replaces an entity.");
  def_forward(model, "info", "spm.frames", "model_info", "The organization's own record.");
  def_forward(model, "actuals", "spm.frames", "model_actuals", "Every actual as a DataFrame.");
  def_forward(model, "set_actuals", "spm.frames", "model_set_actuals",
              "Sets actuals from a DataFrame (measure, period, value[, numerator, denominator]).");
  def_forward(model, "issues", "spm.frames", "model_issues", "validate() as a DataFrame.");
  def_forward(model, "_repr_html_", "spm.display", "model_html", "HTML summary for Jupyter.");
  def_forward(model, "__repr__", "spm.display", "model_repr", "");
  def_forward(model, "strategy_map", "spm.display", "strategy_map", "The strategy map as SVG.");

  def_forward(cascade, "nodes_frame", "spm.frames", "cascade_nodes", "Nodes as a DataFrame.");
  def_forward(cascade, "edges", "spm.frames", "cascade_edges",
              "Contribution links with their normalized weights as a DataFrame.");
  def_forward(cascade, "coverage", "spm.frames", "cascade_coverage",
              "Alignment coverage as DataFrames.");
  def_forward(cascade, "orphans_frame", "spm.frames", "cascade_orphans",
              "Orphans and other gaps as a DataFrame.");
  def_forward(cascade, "attribution", "spm.frames", "cascade_attribution",
              "Attribution of nodes to goals as a DataFrame.");
  def_forward(cascade, "trace", "spm.frames", "cascade_trace", "Line of sight as a DataFrame.");
  def_forward(cascade, "_repr_html_", "spm.display", "cascade_html", "HTML for Jupyter.");
  def_forward(cascade, "__repr__", "spm.display", "cascade_repr", "");

  def_forward(model, "check_ins", "spm.frames", "model_check_ins",
              "Check-ins of a cycle's employees against its cadence, as a DataFrame.");
  def_forward(cascade, "participation", "spm.frames", "cascade_participation",
              "Participation by organization, division, unit, team and manager (a DataFrame).");
  def_forward(cascade, "training_needs", "spm.frames", "cascade_training_needs",
              "Competency gaps by employee and by unit, as DataFrames.");
  def_forward(scorecard, "outcome_budget", "spm.frames", "scorecard_outcome_budget",
              "Budget by strategy against the goals it serves, as DataFrames.");
  def_forward(reviews, "frame", "spm.frames", "reviews_frame",
              "One row per employee: components, final score, weight present.");
  def_forward(reviews, "components", "spm.frames", "reviews_components",
              "Every component of every review, one row each.");
  def_forward(reviews, "objectives", "spm.frames", "reviews_objectives",
              "The objectives each review used.");
  def_forward(reviews, "goals", "spm.frames", "reviews_goals",
              "The goals each employee's objectives reach, as the contribution used them.");
  def_forward(reviews, "ratings", "spm.frames", "reviews_ratings",
              "The manager's ratings of values and competencies.");
  def_forward(reviews, "feedback", "spm.frames", "reviews_feedback",
              "360-degree feedback groups; a group not shown carries nothing.");
  def_forward(reviews, "calibration", "spm.frames", "reviews_calibration",
              "Distributions by organization, manager and unit, and z-scores, as DataFrames.");
  def_forward(reviews, "rewards", "spm.frames", "reviews_rewards",
              "A pool divided by the rules, in cents, traced to goals, as DataFrames.");
  def_forward(reviews, "__repr__", "spm.display", "reviews_repr", "");

  def_forward(scorecard, "scores", "spm.frames", "scorecard_scores",
              "Scores as a DataFrame, long or wide.");
  def_forward(scorecard, "measures", "spm.frames", "scorecard_measures",
              "Measure scores with actual and target as a DataFrame.");
  def_forward(scorecard, "perspectives", "spm.frames", "scorecard_perspectives",
              "Perspective and organization scores as a DataFrame.");
  def_forward(scorecard, "explain", "spm.frames", "scorecard_explain",
              "How a node's score came about, one row per input.");
  def_forward(scorecard, "compare", "spm.frames", "scorecard_compare",
              "Differences to another scorecard (what-if) as a DataFrame.");
  def_forward(scorecard, "plot_trends", "spm.display", "plot_trends", "Trend lines (matplotlib).");
  def_forward(scorecard, "status_heatmap", "spm.display", "status_heatmap",
              "Status heatmap (matplotlib).");
  def_forward(scorecard, "strategy_map", "spm.display", "scorecard_strategy_map",
              "The strategy map coloured by status, as SVG.");
  def_forward(scorecard, "_repr_html_", "spm.display", "scorecard_html", "HTML for Jupyter.");
  def_forward(scorecard, "__repr__", "spm.display", "scorecard_repr", "");
}
