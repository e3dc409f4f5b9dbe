package org.hotline.notification;

import org.hotline.backbone.testing.TestTokens;

import io.restassured.specification.RequestSpecification;

/** REST calls as the county's admin: the behaviour tests are about delivery, not about who asks (SecurityTest is). */
final class AdminApi {

    private static final String ADMIN = TestTokens.admin("test-admin");

    private AdminApi() {
    }

    static RequestSpecification given() {
        return TestTokens.as(ADMIN);
    }
}
