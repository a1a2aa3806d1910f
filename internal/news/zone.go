package news

import _ "time/tzdata" // DefaultZone must load on machines without a zoneinfo database
