using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages;

public class PrivacyModel : PageModel
{
    public void OnGet()
    {
    }
}

