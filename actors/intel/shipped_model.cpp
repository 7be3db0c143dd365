// Embeds the shipped exploit model (QS_SHIPPED_MODEL, set by CMake to
// deploy/models/exploit-model.json.gz) in the binary, so `qscan` finds it
// from any working folder. Read by `exploit_model::shipped`.
#ifndef QS_SHIPPED_MODEL
#error "QS_SHIPPED_MODEL must name the model file"
#endif

asm(".section .rodata\n"
    ".global qs_shipped_model\n"
    ".type qs_shipped_model, @object\n"
    "qs_shipped_model:\n"
    ".incbin \"" QS_SHIPPED_MODEL "\"\n"
    ".global qs_shipped_model_end\n"
    "qs_shipped_model_end:\n"
    ".byte 0\n"
    ".previous\n");
