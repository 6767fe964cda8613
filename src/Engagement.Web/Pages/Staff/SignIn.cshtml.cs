using Engagement.Core.Staff;
using Engagement.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Pages.Staff;

[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class SignInModel(StaffUserStore users, IOptions<TwoFactorOptions> twoFactor) : PageModel
{
    public sealed class SignInInput
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
    }

    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public FieldErrors Errors { get; } = [];

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Input.Email)) Errors.Add("email", "Enter your email address");
        if (string.IsNullOrEmpty(Input.Password)) Errors.Add("password", "Enter your password");
        if (Errors.Count > 0) return Page();

        var now = DateTime.UtcNow;
        var result = await users.SignInAsync(Input.Email!, Input.Password!, now);
        switch (result.Outcome)
        {
            case SignInOutcome.Success:
                // Only local paths: an absolute returnUrl would send a signed-in user to someone else's site.
                var next = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/staff";
                if (result.User!.TotpEnabled || twoFactor.Value.IsRequired)
                {
                    await HttpContext.SignInAsync(TwoFactor.PendingScheme, TwoFactor.Pending(result.User));
                    var step = result.User.TotpEnabled ? "/staff/sign-in/two-factor" : "/staff/sign-in/set-up-two-factor";
                    return LocalRedirect(step + "?ReturnUrl=" + Uri.EscapeDataString(next));
                }
                await HttpContext.RecordSecurityEventAsync(SecurityEventKinds.SignedIn, result.User.Email, result.User.Id);
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffClaims.For(result.User, now));
                return LocalRedirect(next);
            case SignInOutcome.LockedOut:
                await HttpContext.RecordSecurityEventAsync(SecurityEventKinds.LockedOut, result.User!.Email, result.User.Id, $"locked until {result.LockedUntil:O}");
                Errors.Add("email", $"Your account is locked after too many failed attempts. Try again after {result.LockedUntil!.Value.ToLocalTime():HH:mm}, or ask an administrator");
                break;
            default:
                await HttpContext.RecordSecurityEventAsync(
                    result.Outcome == SignInOutcome.Disabled ? SecurityEventKinds.SignInRefusedDisabled : SecurityEventKinds.SignInFailed,
                    result.User?.Email ?? Input.Email, result.User?.Id, result.User is null ? "no such account" : "wrong password");
                // One message for unknown email, wrong password and disabled accounts, so the form does not reveal which accounts exist.
                Errors.Add("email", "Enter a correct email address and password");
                break;
        }
        Input.Password = null;
        return Page();
    }
}
