package org.hotline.notification.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.hotline.notification.model.Channel;
import org.hotline.notification.service.Rules.Target;
import org.hotline.notification.service.Rules.Who;
import org.junit.jupiter.api.Test;

/** The rule syntax WHO->CHANNEL[+CHANNEL]: what it means, and that a typo is refused at start. */
class RulesTest {

    @Test
    void targetsParse() {
        assertEquals(new Target(Who.UNIT_ON_DUTY, null, List.of(Channel.SMS)), Rules.parse("t", "UNIT_ON_DUTY->SMS"));
        assertEquals(new Target(Who.ROLE, "DISPATCHER", List.of(Channel.CONSOLE, Channel.WEBHOOK)),
                Rules.parse("t", " ROLE(DISPATCHER) -> CONSOLE+WEBHOOK "));
    }

    @Test
    void typosAreRefusedNamingTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rules.parse("sla.warning", "UNIT_ONDUTY->SMS"));
        assertTrue(e.getMessage().contains("sla.warning") && e.getMessage().contains("UNIT_ONDUTY"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Rules.parse("t", "ROLE->SMS"));
        assertThrows(IllegalArgumentException.class, () -> Rules.parse("t", "UNIT(X)->SMS"));
        assertThrows(IllegalArgumentException.class, () -> Rules.parse("t", "UNIT->FAX"));
        assertThrows(IllegalArgumentException.class, () -> Rules.parse("t", "UNIT SMS"));
    }
}
