// consumer.cpp - uses the installed C++ library (spm::core) and C library (spm::capi) together.
// Usage: consumer_cpp [model.json]
#include <cstdio>
#include <exception>
#include <string>

#include "spm.h"
#include "spm/spm.hpp"

int main(int argc, char** argv) {
  try {
    int major = 0, minor = 0, patch = 0;
    spm_version(&major, &minor, &patch);
    const spm::VersionInfo v = spm::version();
    if (major != v.major || minor != v.minor || patch != v.patch || major != SPM_VERSION_MAJOR ||
        minor != SPM_VERSION_MINOR) {
      std::fprintf(stderr, "version mismatch: C %d.%d.%d, C++ %s\n", major, minor, patch,
                   spm::version_string());
      return 1;
    }

    // A round trip through JSON (nlohmann/json inside spm) and a CSV load (libcsv).
    spm::Model model;
    const spm::Model again = spm::load_json(spm::save_json(model));
    if (!(again == model)) {
      std::fprintf(stderr, "JSON round trip changed the model\n");
      return 1;
    }
    const auto csv = spm::load_actuals_csv(model, "measure,period,value,numerator,denominator\n");
    if (csv.rows != 0) return 1;

    if (argc > 1) {
      const spm::Model example = spm::load_json_file(argv[1]);
      const auto issues = spm::validate(example);
      std::printf("%s: %zu goals, %zu measures, %zu issues\n", argv[1],
                  example.count(spm::EntityKind::goal), example.count(spm::EntityKind::measure),
                  issues.size());
      if (!spm::is_valid(issues)) return 1;
    }
    std::printf("consumer_cpp: spm %s OK\n", spm_version_string());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "consumer_cpp: %s\n", e.what());
    return 1;
  }
}
