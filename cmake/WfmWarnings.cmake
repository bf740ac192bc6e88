# Warning and sanitizer flags live on an INTERFACE target that is never exported:
# they apply to wfm's own targets and never leak into a consumer's build.
set(WFM_WARNING_FLAGS
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough
  -Wdouble-promotion -Wold-style-cast -Wconversion -Wsign-conversion
  $<$<BOOL:${WFM_WERROR}>:-Werror>)
add_library(wfm_warnings INTERFACE)
target_compile_options(wfm_warnings INTERFACE ${WFM_WARNING_FLAGS})
if(WFM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
if(WFM_SANITIZE_THREAD)
  if(WFM_SANITIZE)
    message(FATAL_ERROR "WFM_SANITIZE (ASan) and WFM_SANITIZE_THREAD (TSan) cannot be combined")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
