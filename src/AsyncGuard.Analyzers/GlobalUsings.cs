// The namespaces every analyzer and every fact uses, declared once for the project.
global using System.Collections.Generic;
global using System.Collections.Immutable;
global using System.Linq;
global using Microsoft.CodeAnalysis;
global using Microsoft.CodeAnalysis.Diagnostics;
global using Microsoft.CodeAnalysis.Operations;
