package org.hotline.system;

import java.util.Map;
import java.util.Set;

import org.hotline.backbone.security.Roles;
import org.hotline.backbone.testing.TestTokens;

import io.restassured.specification.RequestSpecification;

/** Calls as the wukang street's duty officer: operator, dispatcher of wukang and county supervisor at once. */
final class Api {

    static final String DUTY = TestTokens.token("wk-zhang", Set.of(Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR),
            Map.of("street", "wukang", "area", Roles.COUNTY));

    private Api() {
    }

    static RequestSpecification given() {
        return TestTokens.as(DUTY);
    }
}
