/* The default rules, embedded at build time: the Makefile packs every
 * rules/NAME.yaml into a bundle and this file pulls it into .rodata. */
#ifndef SG_RULES_BUNDLE
#error "SG_RULES_BUNDLE must name the packed rules file"
#endif

__asm__(".section .rodata\n"
        ".global sg_rules_bundle\n"
        ".type sg_rules_bundle, @object\n"
        "sg_rules_bundle:\n"
        ".incbin \"" SG_RULES_BUNDLE "\"\n"
        ".byte 0, 0\n"
        ".previous\n");
