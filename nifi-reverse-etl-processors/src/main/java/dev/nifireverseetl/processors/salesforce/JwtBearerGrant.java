package dev.nifireverseetl.processors.salesforce;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import okhttp3.FormBody;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Date;
import java.util.function.LongSupplier;

/**
 * The JWT bearer grant: an RS256 assertion ({@code iss} consumer key, {@code sub} username, {@code aud} login URL,
 * {@code exp} at most 3 minutes ahead) signed with nimbus-jose-jwt, sent as
 * {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=…}. A fresh assertion is signed for every
 * token request.
 */
final class JwtBearerGrant implements TokenGrant {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final long EXPIRY_AHEAD_MILLIS = 150_000;

    private final String consumerKey;
    private final String username;
    private final String audience;
    private final PrivateKey privateKey;
    private final LongSupplier clock;

    JwtBearerGrant(final String consumerKey, final String username, final String audience, final PrivateKey privateKey, final LongSupplier clock) {
        this.consumerKey = consumerKey;
        this.username = username;
        this.audience = audience;
        this.privateKey = privateKey;
        this.clock = clock;
    }

    /**
     * Reads an unencrypted PKCS#8 PEM private key ({@code -----BEGIN PRIVATE KEY-----}).
     *
     * @throws IllegalArgumentException when the text is not such a key (the message never contains the key)
     */
    static PrivateKey parsePrivateKey(final String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("The private key is empty");
        }
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("The private key must be an unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----); convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
        }
        final String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("The private key is not a PKCS#8 PEM RSA private key");
        }
    }

    @Override
    public FormBody requestBody() {
        return new FormBody.Builder().add("grant_type", GRANT_TYPE).add("assertion", assertion()).build();
    }

    String assertion() {
        final JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(consumerKey)
                .subject(username)
                .audience(audience)
                .expirationTime(new Date(clock.getAsLong() + EXPIRY_AHEAD_MILLIS))
                .build();
        final SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        try {
            jwt.sign(new RSASSASigner(privateKey));
        } catch (final JOSEException e) {
            throw new IllegalStateException("Cannot sign the JWT bearer assertion", e);
        }
        return jwt.serialize();
    }

    @Override
    public String accountScope() {
        return "jwt_bearer:" + consumerKey + ":" + username;
    }

    @Override
    public String toString() {
        return "JwtBearerGrant[redacted]";
    }
}
