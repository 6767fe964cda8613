using System.Text;
using Engagement.Core.Data;
using Engagement.Core.Staff;
using Engagement.Core.Tests.Data;

namespace Engagement.Core.Tests.Staff;

public sealed class TotpTests
{
    public static IEnumerable<object[]> Providers() => TestDatabases.Providers();

    // RFC 6238 appendix B, SHA1 rows: the 20-byte ASCII key "12345678901234567890", 8 digits.
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Codes_match_the_rfc_6238_test_vectors(long unixSeconds, string expected)
    {
        var key = Encoding.ASCII.GetBytes("12345678901234567890");
        var step = Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime);
        Assert.Equal(expected, Totp.Code(key, step, digits: 8));
        Assert.Equal(expected[^6..], Totp.Code(key, step));
    }

    [Fact]
    public void Base32_round_trips_and_matches_rfc_4648()
    {
        Assert.Equal("MZXW6YTBOI", Totp.Base32Encode("foobar"u8));
        Assert.Equal("foobar"u8.ToArray(), Totp.Base32Decode("mzxw 6ytb oi======"));
        var secret = Totp.NewSecret();
        Assert.Equal(secret, Totp.Base32Decode(Totp.Base32Encode(secret)));
        Assert.Equal(32, Totp.Base32Encode(secret).Length);
    }

    [Fact]
    public void One_step_of_clock_drift_is_allowed_and_no_more()
    {
        var key = Totp.NewSecret();
        var now = new DateTime(2026, 12, 1, 5, 0, 15, DateTimeKind.Utc);
        var step = Totp.StepAt(now);
        Assert.Equal(step, Totp.MatchingStep(key, Totp.Code(key, step), now));
        Assert.Equal(step - 1, Totp.MatchingStep(key, Totp.Code(key, step - 1), now));
        Assert.Equal(step + 1, Totp.MatchingStep(key, Totp.Code(key, step + 1)[..3] + " " + Totp.Code(key, step + 1)[3..], now));
        Assert.Null(Totp.MatchingStep(key, Totp.Code(key, step - 2), now));
        Assert.Null(Totp.MatchingStep(key, Totp.Code(key, step + 2), now));
        Assert.Null(Totp.MatchingStep(key, "12345", now));
        Assert.Null(Totp.MatchingStep(key, "abcdef", now));
        Assert.Null(Totp.MatchingStep(key, null, now));
    }

    [Fact]
    public void The_otpauth_address_carries_issuer_account_and_secret()
    {
        var uri = Totp.OtpAuthUri("Kent & Medway", "a.b@example.org", "foobar"u8.ToArray());
        Assert.Equal("otpauth://totp/Kent%20%26%20Medway:a.b%40example.org?secret=MZXW6YTBOI&issuer=Kent%20%26%20Medway&algorithm=SHA1&digits=6&period=30", uri);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Set_up_turns_on_with_a_right_code_codes_work_once_and_wrong_codes_lock_out(DatabaseProvider provider)
    {
        var users = new StaffUserStore(TestDatabases.CreateMigrated(provider));
        var user = await users.AddOrUpdateAsync("two-factor@example.org", StaffRoles.EngagementTeam, "correct horse battery");
        var now = new DateTime(2026, 12, 1, 5, 0, 15, DateTimeKind.Utc);

        var secret = await users.StartTwoFactorSetupAsync(user.Id);
        Assert.Equal(secret, await users.StartTwoFactorSetupAsync(user.Id)); // reloading the set-up page shows the same secret
        var key = Totp.Base32Decode(secret);
        Assert.Equal(TwoFactorOutcome.NotSetUp, (await users.VerifyTwoFactorAsync(user.Id, Totp.Code(key, Totp.StepAt(now)), now, turningOn: false)).Outcome);

        var (on, updated) = await users.VerifyTwoFactorAsync(user.Id, Totp.Code(key, Totp.StepAt(now)), now, turningOn: true);
        Assert.Equal(TwoFactorOutcome.Success, on);
        Assert.True(updated!.TotpEnabled);
        Assert.NotEqual(user.SecurityStamp, updated.SecurityStamp);

        // The same code again (a replay) fails; the next step's code works.
        Assert.Equal(TwoFactorOutcome.WrongCode, (await users.VerifyTwoFactorAsync(user.Id, Totp.Code(key, Totp.StepAt(now)), now, false)).Outcome);
        var later = now.AddSeconds(30);
        Assert.Equal(TwoFactorOutcome.Success, (await users.VerifyTwoFactorAsync(user.Id, Totp.Code(key, Totp.StepAt(later)), later, false)).Outcome);

        for (var i = 0; i < StaffUserStore.MaxFailedSignIns - 1; i++)
            Assert.Equal(TwoFactorOutcome.WrongCode, (await users.VerifyTwoFactorAsync(user.Id, "000000", later, false)).Outcome);
        Assert.Equal(TwoFactorOutcome.LockedOut, (await users.VerifyTwoFactorAsync(user.Id, "000000", later, false)).Outcome);
        var evenLater = later.AddSeconds(60);
        Assert.Equal(TwoFactorOutcome.LockedOut, (await users.VerifyTwoFactorAsync(user.Id, Totp.Code(key, Totp.StepAt(evenLater)), evenLater, false)).Outcome);

        await users.DisableTwoFactorAsync(user.Id);
        var off = await users.GetAsync(user.Id);
        Assert.False(off!.TotpEnabled);
        Assert.Null(off.TotpSecret);
    }
}
