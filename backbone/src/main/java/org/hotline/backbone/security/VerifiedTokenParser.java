package org.hotline.backbone.security;

import java.time.Clock;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hotline.backbone.config.BackboneConfig;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/**
 * Puts {@link VerifiedTokens} in front of smallrye-jwt's parser, which Quarkus' bearer-token
 * authentication calls with each request's token; every other use of the parser is left as it is.
 * The system clock, not the service's: the verifier checks {@code exp} against it, and the cache
 * must never hold a token the verifier would already refuse.
 */
@Decorator
@Priority(10)
public abstract class VerifiedTokenParser implements JWTParser {

    @Inject
    @Delegate
    @Any
    JWTParser parser;

    private final VerifiedTokens verified;

    @Inject
    VerifiedTokenParser(BackboneConfig config) {
        this.verified = new VerifiedTokens(config.verifiedTokens().maxSize(), config.verifiedTokens().ttl(),
                Clock.systemUTC());
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return verified.parse(token, parser::parse);
    }
}
