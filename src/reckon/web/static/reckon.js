// reckon's only script; the pages work without it.
"use strict";
