package org.hotline.intake;

import org.hotline.backbone.testing.TestTokens;

import io.restassured.specification.RequestSpecification;

/** REST calls as a hotline operator: the behaviour tests are about tickets, not about who asks. */
final class Api {

    static final String OPERATOR = TestTokens.operator("test-operator");

    private Api() {
    }

    static RequestSpecification given() {
        return TestTokens.as(OPERATOR);
    }
}
