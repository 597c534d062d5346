/* The default rules, embedded at build time: tools/rulepack turns every
 * rules/NAME.yaml into one pack, and this file pulls it into .rodata. */
#ifndef SG_RULES_PACK
#error "SG_RULES_PACK must name the packed rules file"
#endif

__asm__(".section .rodata\n"
        ".global sg_rules_pack\n"
        ".type sg_rules_pack, @object\n"
        ".balign 8\n"
        "sg_rules_pack:\n"
        ".incbin \"" SG_RULES_PACK "\"\n"
        "sg_rules_pack_end:\n"
        ".byte 0\n"
        ".balign 8\n"
        ".global sg_rules_pack_size\n"
        ".type sg_rules_pack_size, @object\n"
        "sg_rules_pack_size:\n"
        ".quad sg_rules_pack_end - sg_rules_pack\n"
        ".previous\n");
