using System.Collections.Concurrent;
using Engagement.Core.Data;
using Engagement.Core.Domain;

namespace Engagement.Web.Infrastructure;

/// <summary>
/// Consultations by slug, read from the database at most once per <see cref="MaxAge"/>, for the public form's first
/// page. Every resident who opens the form needs the same row; the answers they send are always checked against the
/// database itself, so a consultation closed by another instance is refused on sending at once and stops being offered
/// within <see cref="MaxAge"/>. Unknown slugs are not remembered, so guessing addresses cannot fill memory.
/// </summary>
public sealed class RecentConsultations(ConsultationStore store, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (Consultation Consultation, long ReadAt)> bySlug = new(StringComparer.Ordinal);

    public async Task<Consultation?> FindBySlugAsync(string slug)
    {
        var now = clock.GetTimestamp();
        if (bySlug.TryGetValue(slug, out var cached) && clock.GetElapsedTime(cached.ReadAt, now) < MaxAge) return cached.Consultation;
        var found = await store.FindBySlugAsync(slug);
        if (found is null) bySlug.TryRemove(slug, out _);
        else bySlug[slug] = (found, now);
        return found;
    }
}
