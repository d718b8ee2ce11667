/* spm.h - the C interface of spm. Hosts include this header and nothing else. */
#ifndef SPM_H
#define SPM_H

#define SPM_VERSION_MAJOR 0
#define SPM_VERSION_MINOR 1
#define SPM_VERSION_PATCH 0
#define SPM_VERSION_NUMBER (SPM_VERSION_MAJOR * 10000 + SPM_VERSION_MINOR * 100 + SPM_VERSION_PATCH)
/* Changes only when the ABI breaks. */
#define SPM_SOVERSION 0

#endif /* SPM_H */
