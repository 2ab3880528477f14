"""SQL for the public pages: the list and the map of public reports. Every query here reads
`complaint` without `rahasia` rows and never joins `reporter`.

Filter parameters, shared by the list, its count and the map: $1 category code, $2 statuses
(text[]), $3 kecamatan (matched without case or surrounding spaces), $4 agency code; NULL
means "any".
"""

from __future__ import annotations

_PUBLIC_AND_FILTERED = """
NOT c.rahasia
  AND ($1::text IS NULL OR c.category_code = $1)
  AND ($2::text[] IS NULL OR c.status = ANY($2::text[]))
  AND ($3::text IS NULL OR lower(btrim(c.kecamatan)) = lower(btrim($3)))
  AND ($4::text IS NULL OR c.agency_code = $4)
"""

COUNT_REPORTS = f"SELECT count(*) FROM complaint c WHERE {_PUBLIC_AND_FILTERED}"

# Newest first; $5 page size, $6 offset.
LIST_REPORTS = f"""
SELECT c.tracking_code, c.status, c.title, left(c.body, 280) AS excerpt,
       char_length(c.body) > 280 AS cut, c.category_code, cat.name AS category_name,
       c.agency_code, a.short_name AS agency_name, c.kelurahan, c.kecamatan, c.created_at
FROM complaint c
LEFT JOIN category cat ON cat.code = c.category_code
LEFT JOIN agency a ON a.code = c.agency_code
WHERE {_PUBLIC_AND_FILTERED}
ORDER BY c.created_at DESC, c.id DESC
LIMIT $5 OFFSET $6
"""

# The newest located public reports for the map; $5 how many at most.
MAP_POINTS = f"""
SELECT c.tracking_code, c.status, c.latitude, c.longitude, cat.name AS category_name,
       c.kelurahan, c.kecamatan, c.created_at
FROM complaint c
LEFT JOIN category cat ON cat.code = c.category_code
WHERE {_PUBLIC_AND_FILTERED} AND c.latitude IS NOT NULL AND c.longitude IS NOT NULL
ORDER BY c.created_at DESC, c.id DESC
LIMIT $5
"""

# Kecamatan as citizens wrote them, one spelling per name, for the filter's choices.
KECAMATAN_NAMES = """
SELECT min(btrim(kecamatan)) AS name
FROM complaint
WHERE NOT rahasia AND kecamatan IS NOT NULL AND btrim(kecamatan) <> ''
GROUP BY lower(btrim(kecamatan))
ORDER BY 1
LIMIT $1
"""

# Where the maps open: the middle of the latest located public reports.
MAP_CENTER = """
SELECT avg(latitude) AS lat, avg(longitude) AS lon, count(*) AS n
FROM (SELECT latitude, longitude FROM complaint
      WHERE NOT rahasia AND latitude IS NOT NULL AND longitude IS NOT NULL
      ORDER BY created_at DESC LIMIT $1) recent
"""
