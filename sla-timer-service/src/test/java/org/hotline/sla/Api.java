package org.hotline.sla;

import org.hotline.backbone.testing.TestTokens;

import io.restassured.specification.RequestSpecification;

/** REST calls as the county's admin: the behaviour tests are about clocks, not about who asks. */
final class Api {

    private static final String ADMIN = TestTokens.admin("test-admin");

    private Api() {
    }

    static RequestSpecification given() {
        return TestTokens.as(ADMIN);
    }
}
