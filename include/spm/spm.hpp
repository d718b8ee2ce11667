// spm/spm.hpp - the whole C++ API of spm. See docs/ for the guide.
#pragma once

#include "spm/cascade.hpp"
#include "spm/error.hpp"
#include "spm/generate.hpp"
#include "spm/io.hpp"
#include "spm/model.hpp"
#include "spm/people.hpp"
#include "spm/period.hpp"
#include "spm/rules.hpp"
#include "spm/scoring.hpp"
#include "spm/validate.hpp"
#include "spm/version.hpp"
