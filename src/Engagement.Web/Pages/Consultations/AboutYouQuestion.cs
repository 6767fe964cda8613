using Engagement.Core.Domain;

namespace Engagement.Web.Pages.Consultations;

public sealed record AboutYouQuestion(string Id, string Name, string Question, IReadOnlyList<Choice> Choices, string? Value, string? Error);
