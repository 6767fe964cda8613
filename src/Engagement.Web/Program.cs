using Engagement.Core;
using Engagement.Core.Import;
using Engagement.Core.Privacy;
using Engagement.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddEngagementData(builder.Configuration);
builder.Services.AddEngagementDataProtection(builder.Configuration);
builder.Services.AddEngagementClassifier(builder.Configuration);
builder.Services.AddTriage(builder.Configuration);
builder.Services.AddImportJobs();
builder.Services.AddRetentionPurge();
builder.Services.AddStaffSignIn(builder.Configuration);
builder.Services.AddPublicFormProtection(builder.Configuration);
builder.Services.AddEngagementHealthChecks();
builder.Services.AddWebSecurity(builder.Configuration);
builder.Services.AddRequestLimits(builder.Configuration);
builder.Services.AddRazorPages(options =>
{
    options.Conventions.AuthorizeFolder("/Staff", StaffPolicies.Staff);
    options.Conventions.AllowAnonymousToPage("/Staff/SignIn");
    options.Conventions.AllowAnonymousToPage("/Staff/TwoFactor");
    options.Conventions.AllowAnonymousToPage("/Staff/SetUpTwoFactor");
});

var app = builder.Build();

await app.PrepareDatabaseAsync();

app.UseWebSecurity();
app.UseErrorPages();
app.UseStaticFiles();
app.UseRequestLimits();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseExportAudit();
app.MapEngagementHealthChecks();
app.MapRazorPages();

app.Run();

public partial class Program;
