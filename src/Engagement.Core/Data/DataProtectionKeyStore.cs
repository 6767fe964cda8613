using System.Xml;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engagement.Core.Data;

public sealed class DataProtectionKeyOptions
{
    public const string Section = "DataProtection";

    /// <summary>
    /// Optional .pfx certificate whose public key encrypts each key before it is stored (the private key decrypts it).
    /// Empty (the default): keys are stored as plain XML and protected by who may read the database (docs/operations.md).
    /// </summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>Password of the .pfx, if it has one. Pass it as an environment variable, not in appsettings.json.</summary>
    public string CertificatePassword { get; set; } = "";
}

/// <summary>
/// The Data Protection key ring in the database, so every web instance and every restart share one set of keys: a
/// staff sign-in cookie or a form's antiforgery token issued by one process is readable by the next.
/// The framework calls this synchronously and caches what it reads (about a day, or until it meets a key it does not
/// know), so these calls are rare. Nothing here runs until the first cookie or token is protected, which is after
/// start-up has migrated the database.
/// </summary>
public sealed class DataProtectionKeyStore(Database db, ILogger<DataProtectionKeyStore>? log = null) : IXmlRepository
{
    /// <summary>Longest name kept as given; the framework's own names ("key-{guid}", "revocation-...") are far shorter.</summary>
    private const int MaxNameLength = 150;

    private readonly ILogger log = log ?? NullLogger<DataProtectionKeyStore>.Instance;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var c = db.Open();
        var rows = c.Query<(long Id, string FriendlyName, string Xml)>(
            "SELECT id, friendly_name, xml FROM data_protection_keys ORDER BY id");
        var elements = new List<XElement>();
        foreach (var (id, name, xml) in rows)
        {
            try
            {
                elements.Add(XElement.Parse(xml));
            }
            catch (XmlException ex)
            {
                // One damaged row must not take every other key (and so every signed-in session) down with it.
                log.LogError(ex, "Data Protection key row {Id} ('{FriendlyName}') is not valid XML and was skipped.", id, name);
            }
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var name = string.IsNullOrWhiteSpace(friendlyName) ? "element" : friendlyName.Trim();
        if (name.Length > MaxNameLength) name = name[..MaxNameLength];
        var xml = element.ToString(SaveOptions.DisableFormatting);

        using var c = db.Open();
        // Elements are never replaced: a second element under a taken name (a key revoked twice, say) is kept under a
        // suffixed name, because the framework needs every element it ever wrote.
        const string insertIfNew = """
            INSERT INTO data_protection_keys (friendly_name, xml, created_at)
            SELECT @name, @xml, @now
            WHERE NOT EXISTS (SELECT 1 FROM data_protection_keys WHERE friendly_name = @name)
            """;
        if (c.Execute(insertIfNew, new { name, xml, now = DateTime.UtcNow }) == 1) return;
        c.Execute("INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@name, @xml, @now)",
            new { name = $"{name}-{Guid.NewGuid():N}", xml, now = DateTime.UtcNow });
    }
}
