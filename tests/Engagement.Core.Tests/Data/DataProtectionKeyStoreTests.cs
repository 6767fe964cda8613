using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Dapper;
using Engagement.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Core.Tests.Data;

/// <summary>Written once, run per provider (see TestDatabases.Providers).</summary>
public sealed class DataProtectionKeyStoreTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    [Theory, MemberData(nameof(Providers))]
    public void Elements_come_back_in_the_order_stored_from_a_new_store_instance(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var store = new DataProtectionKeyStore(db);
        Assert.Empty(store.GetAllElements());

        store.StoreElement(new XElement("key", new XAttribute("id", "1"), new XElement("secret", "a & b")), "key-1");
        store.StoreElement(new XElement("key", new XAttribute("id", "2")), "key-2");

        var read = new DataProtectionKeyStore(db).GetAllElements();
        Assert.Equal(["1", "2"], read.Select(e => (string)e.Attribute("id")!));
        Assert.Equal("a & b", (string)read.First().Element("secret")!);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_second_element_under_a_taken_name_is_kept_not_replaced(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var store = new DataProtectionKeyStore(db);
        store.StoreElement(new XElement("revocation", "first"), "revocation-x");
        store.StoreElement(new XElement("revocation", "second"), "revocation-x");
        store.StoreElement(new XElement("odd", "unnamed"), "");

        Assert.Equal(["first", "second", "unnamed"], store.GetAllElements().Select(e => e.Value));
        await using var c = await db.OpenAsync();
        var names = (await c.QueryAsync<string>("SELECT friendly_name FROM data_protection_keys ORDER BY id")).ToList();
        Assert.Equal("revocation-x", names[0]);
        Assert.StartsWith("revocation-x-", names[1]);
        Assert.Equal("element", names[2]);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_damaged_row_is_skipped_and_the_other_keys_still_load(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var store = new DataProtectionKeyStore(db);
        store.StoreElement(new XElement("key", "good"), "key-good");
        await using (var c = await db.OpenAsync())
            await c.ExecuteAsync("INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES ('key-bad', '<key>cut off', @now)", new { now = DateTime.UtcNow });

        Assert.Equal(["good"], store.GetAllElements().Select(e => e.Value));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task What_one_process_protects_another_on_the_same_database_unprotects(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var protectedText = Protector(db).Protect("staff session");

        Assert.Equal("staff session", Protector(db).Unprotect(protectedText));
        Assert.Equal(1, await TestDatabases.CountAsync(db, "data_protection_keys"));
        // A process with its own (here: in-memory) key ring cannot read it: the database is what is shared.
        var stranger = new ServiceCollection().AddDataProtection().SetApplicationName("Engagement").UseEphemeralDataProtectionProvider()
            .Services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        Assert.ThrowsAny<CryptographicException>(() => stranger.Unprotect(protectedText));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task With_a_certificate_configured_keys_are_stored_encrypted_and_still_shared(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var pfx = await WriteCertificateAsync("pfx-password");
        var replacement = await WriteCertificateAsync("");
        try
        {
            var settings = new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = pfx, ["DataProtection:CertificatePassword"] = "pfx-password" };
            var protectedText = Protector(db, settings).Protect("staff session");

            Assert.Equal("staff session", Protector(db, settings).Unprotect(protectedText));
            await using (var c = await db.OpenAsync())
            {
                var xml = await c.ExecuteScalarAsync<string>("SELECT xml FROM data_protection_keys");
                Assert.Contains("EncryptedData", xml);
                Assert.DoesNotContain("<masterKey", xml);
            }

            // The certificate lost or replaced: old cookies are unreadable, but the site makes a new key and carries on.
            var afterReplacement = Protector(db, new() { ["DataProtection:CertificatePath"] = replacement });
            Assert.ThrowsAny<CryptographicException>(() => afterReplacement.Unprotect(protectedText));
            Assert.Equal("new session", afterReplacement.Unprotect(afterReplacement.Protect("new session")));
            Assert.Equal(2, await TestDatabases.CountAsync(db, "data_protection_keys"));
        }
        finally
        {
            File.Delete(pfx);
            File.Delete(replacement);
        }
    }

    [Fact]
    public async Task A_wrong_certificate_password_is_a_clear_start_up_error()
    {
        var pfx = await WriteCertificateAsync("right");
        try
        {
            var settings = new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = pfx, ["DataProtection:CertificatePassword"] = "wrong" };
            var ex = Assert.Throws<InvalidOperationException>(() => Protector(TestDatabases.CreateMigrated(DatabaseProvider.Sqlite), settings));
            Assert.Contains("DataProtection:CertificatePassword", ex.Message);
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    private static async Task<string> WriteCertificateAsync(string password)
    {
        var pfx = Path.Combine(Path.GetTempPath(), $"dp-cert-{Guid.NewGuid():N}.pfx");
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Engagement Data Protection test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, password.Length > 0 ? password : null));
        return pfx;
    }

    [Fact]
    public void A_missing_certificate_file_is_a_clear_start_up_error()
    {
        var settings = new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = "/no/such/keys.pfx" };
        var ex = Assert.Throws<InvalidOperationException>(() => Protector(TestDatabases.CreateMigrated(DatabaseProvider.Sqlite), settings));
        Assert.Contains("DataProtection:CertificatePath", ex.Message);
    }

    /// <summary>A protector as a fresh process would build it: its own service provider, the site's registration.</summary>
    private static IDataProtector Protector(Database db, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(db);
        services.AddEngagementDataProtection(configuration);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
    }
}
